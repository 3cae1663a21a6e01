"""People, their organisations and their roles.

The user model stays `auth.User`; everything UPR Hub knows about a person lives on `Profile`.
Organisations carry exactly what OHCHR asks of submitters, so later features (joint
submissions, cover sheets) reuse them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from uprhub.recommendations.models import Theme

from .choices import US_STATE_NAMES, US_STATES, Experience, OrganisationType, Role
from .validators import single_line


class Located(models.Model):
    """City plus a US state or, outside the United States, a country."""

    city = models.CharField(_("city"), max_length=100, blank=True, validators=[single_line])
    us_state = models.CharField(
        _("US state or territory"),
        max_length=2,
        choices=US_STATES,
        blank=True,
        help_text=_("If you are in the United States."),
    )
    country = models.CharField(
        _("country"),
        max_length=100,
        blank=True,
        validators=[single_line],
        help_text=_("If you are outside the United States."),
    )

    class Meta:
        abstract = True

    @property
    def location_label(self) -> str:
        region = US_STATE_NAMES.get(self.us_state, "") if self.us_state else self.country
        return ", ".join(part for part in (self.city, region) if part)


class Organisation(models.Model):
    """A civil-society organisation, Indigenous Peoples' organisation, city, NHRI…"""

    name = models.CharField(_("name"), max_length=255, validators=[single_line])
    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        blank=True,
        validators=[single_line],
        help_text=_("OHCHR lists submitters by acronym in its stakeholders' summary."),
    )
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    city = models.CharField(_("city"), max_length=100, blank=True, validators=[single_line])
    country = models.CharField(
        _("country"), max_length=100, default="United States", validators=[single_line]
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("short description"),
        max_length=1500,
        blank=True,
        help_text=_("Its activities, in a paragraph; OHCHR asks for this with every submission."),
    )
    established_on = models.DateField(
        _("date of establishment"),
        null=True,
        blank=True,
        help_text=_("If you only know the year, use 1 January of that year."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_unique_name_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class OrganisationRole(models.TextChoices):
    MEMBER = "member", _("Member")
    CONTACT = "contact", _("Contact person")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role_in_org = models.CharField(
        _("role in the organisation"),
        max_length=20,
        choices=OrganisationRole.choices,
        default=OrganisationRole.MEMBER,
        help_text=_("The contact person is named to OHCHR on submissions."),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class Profile(Located):
    """What UPR Hub knows about a person beyond the login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # One name field: many people do not have a "first" and "last" name.
    full_name = models.CharField(_("name"), max_length=150, validators=[single_line])
    organisation_name = models.CharField(
        _("organisation"),
        max_length=255,
        blank=True,
        validators=[single_line],
        help_text=_("As you would like it shown to other members."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("focus themes"), blank=True, related_name="+"
    )
    languages = models.CharField(
        _("languages"),
        max_length=200,
        blank=True,
        validators=[single_line],
        help_text=_("The languages you work in, e.g. English, Spanish."),
    )
    experience = models.CharField(
        _("experience with UN mechanisms"),
        max_length=20,
        choices=Experience.choices,
        default=Experience.NONE,
        help_text=_("The UPR, treaty bodies or special procedures."),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.NONE,
        blank=True,
        help_text=_("Change it with the role form so that permissions follow (it is audited)."),
    )
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        permissions = [("set_role", _("Can change people's roles"))]

    def __str__(self) -> str:
        return self.full_name or str(self.user)


class RoleChange(models.Model):
    """Audit trail: every change of a person's role, who made it and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes"
    )
    old_role = models.CharField(_("old role"), max_length=20, choices=Role.choices, blank=True)
    new_role = models.CharField(_("new role"), max_length=20, choices=Role.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text so the record still says who acted after that account is deleted.
    actor_label = models.CharField(_("changed by"), max_length=255, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self) -> str:
        return f"{self.user}: {self.old_role or '-'} → {self.new_role or '-'}"
