"""People, their organisations and their roles.

The user model stays `auth.User`; everything UPR Hub knows about a person lives on `Profile`.
Organisations carry exactly what OHCHR asks of submitters, so later features (joint
submissions, cover sheets) reuse them.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
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


def organisation_name_key(name: str) -> str:
    """The name as compared for duplicates: case, spacing and accents do not count
    ("Tenants  United", "TENANTS UNITED" and "Ténants United" are one name)."""
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(without_accents.casefold().split())


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def verified(self) -> OrganisationQuerySet:
        return self.filter(verified_at__isnull=False)

    def claim_pending(self) -> OrganisationQuerySet:
        return self.filter(verified_at__isnull=True)

    def named_like(self, name: str) -> OrganisationQuerySet:
        return self.filter(name_key=organisation_name_key(name))


class Organisation(models.Model):
    """A civil-society organisation, Indigenous Peoples' organisation, city, NHRI…

    Anyone can register one, but a new organisation is a *claim*: its creator is its contact
    person only once a coordinator or administrator has confirmed it (`verified_at`), so
    nobody becomes a real NGO's contact by typing its name first.
    """

    name = models.CharField(_("name"), max_length=255, validators=[single_line])
    # `name` compared without case, spacing or accents; two organisations never share it.
    name_key = models.CharField(max_length=255, db_index=True, editable=False, default="")
    verified_at = models.DateTimeField(
        _("claim confirmed"),
        null=True,
        blank=True,
        help_text=_("Empty while a coordinator has not yet confirmed who may speak for it."),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claim confirmed by"),
    )
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

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_unique_name_ci"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = organisation_name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def clean(self) -> None:
        super().clean()
        self.name_key = organisation_name_key(self.name)
        if (
            self.name_key
            and Organisation.objects.filter(name_key=self.name_key).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                {
                    "name": _(
                        "An organisation with this name is already registered. Ask its "
                        "contact person to add you to it."
                    )
                }
            )


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


class OrganisationAction(models.TextChoices):
    CREATED = "created", _("Registered (claim waiting for review)")
    CLAIM_CONFIRMED = "claim_confirmed", _("Claim confirmed")
    CLAIM_REJECTED = "claim_rejected", _("Claim rejected")
    MEMBER_ADDED = "member_added", _("Member added")


class OrganisationEvent(models.Model):
    """Audit trail of organisations: claims and who was added by whom, when."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # Kept as text so the record still says what happened after a rejected claim is deleted.
    organisation_label = models.CharField(_("organisation"), max_length=255)
    action = models.CharField(_("action"), max_length=20, choices=OrganisationAction.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person added, or whose claim was decided."),
    )
    user_label = models.CharField(_("person"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=255)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")

    def __str__(self) -> str:
        return f"{self.organisation_label}: {self.get_action_display()}"


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
    # Opt-in, also for accounts that existed before this setting: the people on UPR Hub can
    # be targets of reprisals, and being listed without having chosen it is the surprise that
    # can hurt; a missing directory row is only an inconvenience, fixed with one tick.
    listed_in_directory = models.BooleanField(
        _("list me in the members' directory"),
        default=False,
        help_text=_(
            "Other taskforce members then see your name, organisation, place, themes and "
            "languages, and the other people in your organisations see you in its member list."
        ),
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
