"""Community consultations ("Listen"): who runs them, what people said, and who they are.

A testimony never holds its author's identity: name, e-mail and phone live in `Identity`,
encrypted at rest (`crypto.py`), shown only to the consultation's moderators, every view
logged in `IdentityAccess`. No raw client address is stored anywhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.models import Organisation
from uprhub.reviews.models import Review


def default_languages() -> list[str]:
    return ["en", "es", "fr"]


def default_questions() -> dict[str, bool]:
    # The main question ("What human-rights problem…") is always asked; these two are extra.
    return {"themes": True, "government": True}


class Consultation(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="consultations", verbose_name=_("review")
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages"), default=default_languages)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Django's password hasher: the code is given to a community, never shown back.
    access_code_hash = models.CharField(max_length=200, blank=True)
    questions = models.JSONField(_("questions"), default=default_questions)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    @property
    def needs_access_code(self) -> bool:
        return bool(self.access_code_hash)

    def current_consent(self) -> ConsentText:
        return self.consent_texts.order_by("-version")[0]


class ConsentText(models.Model):
    """What a participant agreed to. Versions are never edited, only added; a blank text
    means the standard wording of UPR Hub (shown translated, `templates/consultations/
    _consent.html`)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="consent_texts"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "version"], name="consent_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} v{self.version}"


class ConsultationRoleKind(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    MODERATOR = "moderator", _("Moderator")


class ConsultationRole(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_roles"
    )
    role = models.CharField(max_length=20, choices=ConsultationRoleKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user", "role"], name="consultation_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.consultation_id}"


class TestimonyStatus(models.TextChoices):
    __test__ = False  # not a pytest class

    NEW = "new", _("New")
    APPROVED = "approved", _("Approved")
    NEEDS_REDACTION = "needs_redaction", _("Needs redaction")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Testimony(models.Model):
    __test__ = False  # not a pytest class, despite its name

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="testimonies"
    )
    text = models.TextField(blank=True)
    language = models.CharField(max_length=12, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    consent = models.ForeignKey(ConsentText, on_delete=models.PROTECT, null=True, blank=True)
    quote_anonymously = models.BooleanField(default=False)
    quote_named = models.BooleanField(default=False)
    may_contact = models.BooleanField(default=False)
    fears_reprisals = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=TestimonyStatus.choices, default=TestimonyStatus.NEW
    )
    # HMAC of the receipt code (crypto.receipt_hash); null once withdrawn.
    receipt_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # HMAC of the client address under that day's key; emptied after ≤ 7 days.
    address_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")

    def __str__(self) -> str:
        return f"Testimony {self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.status == TestimonyStatus.WITHDRAWN


class Identity(models.Model):
    """Who gave a testimony, if they said: one Fernet token of {"name", "email", "phone"}."""

    testimony = models.OneToOneField(Testimony, on_delete=models.CASCADE, related_name="identity")
    token = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Identity of testimony {self.testimony_id}"  # never the identity itself


class IdentityAccess(models.Model):
    """Every time a moderator saw an identity: who, which testimony, when."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Testimony {self.testimony_id} seen by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"
