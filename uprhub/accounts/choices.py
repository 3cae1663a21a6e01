"""Choices shared by accounts and taskforce applications (and later by submissions)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from uprhub.core.roles import ROLE_RANK, Role  # noqa: F401  (the roles are the core's; re-exported)


class Experience(models.TextChoices):
    """Experience with UN human-rights mechanisms (UPR, treaty bodies, special procedures)."""

    NONE = "none", _("None yet")
    SOME = "some", _("Some")
    EXPERIENCED = "experienced", _("Experienced")


class OrganisationType(models.TextChoices):
    """The kinds of stakeholder OHCHR distinguishes in its stakeholders' summaries."""

    NGO = "ngo", _("Non-governmental organisation (NGO)")
    INDIGENOUS = "indigenous", _("Indigenous Peoples' organisation")
    LOCAL_GOVERNMENT = "local_government", _("City or local government")
    ACADEMIC = "academic", _("Academic institution")
    NHRI = "nhri", _("National human rights institution (NHRI)")
    OTHER = "other", _("Other")


# The 50 States, the District of Columbia and the inhabited territories, by USPS code.
US_STATES: list[tuple[str, str]] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("VI", "U.S. Virgin Islands"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
]
US_STATE_NAMES = dict(US_STATES)
