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
from uprhub.recommendations.models import Recommendation, SuggestionStatus, Theme
from uprhub.reports.models import Paragraph
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
    # Bumped by every change of its settings: a save made from an older page is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
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


class InPersonSession(models.Model):
    """A community event where people give testimony in person (on the review calendar)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("in-person session")

    def __str__(self) -> str:
        return f"{self.place} {self.starts_at:%Y-%m-%d}"


class TestimonySource(models.TextChoices):
    __test__ = False

    WEB = "web", _("Web form")
    FACILITATOR = "facilitator", _("Entered by a facilitator")
    PAPER = "paper", _("Paper form")


class Testimony(models.Model):
    __test__ = False  # not a pytest class, despite its name

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="testimonies"
    )
    # The text that may leave moderation: personal data redacted (automatically on arrival,
    # confirmed or extended by a moderator). The original is only in `original_token`.
    text = models.TextField(blank=True)
    # Fernet token (crypto.encrypt) of {"text": …, "government": …} as the person wrote it:
    # for the person (with their receipt) and the consultation's moderators; emptied by the
    # retention purge and by withdrawal.
    original_token = models.TextField(blank=True)
    source = models.CharField(
        max_length=12, choices=TestimonySource.choices, default=TestimonySource.WEB
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Made on the facilitator's device, so a re-sent offline entry is stored once.
    client_id = models.UUIDField(null=True, blank=True)
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

    # Set by the retention purge: identity and original text are gone for good.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "client_id"], name="testimony_client_id_unique"
            )
        ]

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


class ModerationDecision(models.Model):
    """The audit of moderation: every status change and redaction, by whom and when.

    Never holds the testimony's text, so it can be kept after a withdrawal."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    from_status = models.CharField(max_length=20, choices=TestimonyStatus.choices)
    to_status = models.CharField(max_length=20, choices=TestimonyStatus.choices)
    redactions = models.PositiveIntegerField(default=0)  # how many spans were redacted
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Testimony {self.testimony_id}: {self.from_status} → {self.to_status}"


class TagKind(models.TextChoices):
    THEME = "theme", _("UPR Info issue")
    RECOMMENDATION = "recommendation", _("Past recommendation")


class TestimonyTag(models.Model):
    """A UPR Info issue or a past recommendation of the State linked to a testimony.

    Suggested by a model (`score`, `model_version`) and accepted or rejected by a moderator,
    or added by a person (accepted from the start, `score` null). Accepted tags are the
    "themes" and "recommendations" of exports; pending ones the "suggested_…" fields."""

    __test__ = False

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=16, choices=TagKind.choices)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, blank=True)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True
    )
    score = models.FloatField(null=True, blank=True)
    model_version = models.CharField(max_length=60, blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "theme"],
                condition=models.Q(theme__isnull=False),
                name="testimony_tag_theme_unique",
            ),
            models.UniqueConstraint(
                fields=["testimony", "recommendation"],
                condition=models.Q(recommendation__isnull=False),
                name="testimony_tag_recommendation_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} tag of testimony {self.testimony_id}"


class ParagraphSource(models.Model):
    """Which testimonies a report paragraph was made from, and the exact quote taken from
    each (if any), so a withdrawal or a new redaction reaches the report."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="+")
    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="paragraph_sources"
    )
    quote = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["paragraph", "testimony"], name="paragraph_source_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Paragraph {self.paragraph_id} from testimony {self.testimony_id}"
