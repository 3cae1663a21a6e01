"""Shadow reports written together on UPR Hub.

A `Report` belongs to one review (a State at one Working Group session) and is individual or
joint. Its text is a list of `ReportSection`s (introduction, follow-up issues, new
developments, proposed recommendations…) holding `Paragraph`s; every save of a paragraph
leaves a `Revision`, and a paragraph's `version` is what keeps two people from silently
overwriting each other (see `services.save_paragraph`). Past recommendations are cited into a
section with `Citation`; people work on a report through `ReportRole`s; each organisation
signs the report off (`ReportOrganisation.signed_off_at`) before it can be marked final.

Numbering and the cover sheet are not stored: `to_document.py` derives them every time, so
they can never drift from the text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.models import Organisation
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review

from .document import SubmissionType as DocumentSubmissionType
from .facts import sees_every_report
from .models_rules import ValidationRule  # noqa: F401  (the validator's rules, same app)


class SubmissionType(models.TextChoices):
    INDIVIDUAL = DocumentSubmissionType.INDIVIDUAL.value, _("Individual submission")
    JOINT = DocumentSubmissionType.JOINT.value, _("Joint submission")


class Language(models.TextChoices):
    """The UN official languages; OHCHR prefers English, French or Spanish."""

    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    RUSSIAN = "ru", _("Russian")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ReportQuerySet(models.QuerySet["Report"]):
    def drafts(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.DRAFT)

    def visible_to(self, user: object) -> ReportQuerySet:
        """Reports the user may read: their roles, their organisations', or all (coordinators)."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        if sees_every_report(user):
            return self.all()
        by_role = ReportRole.objects.filter(user=user).values("report_id")
        by_organisation = ReportOrganisation.objects.filter(
            organisation__memberships__user=user
        ).values("report_id")
        return self.filter(models.Q(pk__in=by_role) | models.Q(pk__in=by_organisation))

    def editable_by(self, user: object) -> ReportQuerySet:
        """Drafts the user may write in (lead or drafter)."""
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        return self.drafts().filter(
            pk__in=ReportRole.objects.filter(
                user=user, role__in=[RoleOnReport.LEAD, RoleOnReport.DRAFTER]
            ).values("report_id")
        )


class Report(models.Model):
    """One stakeholder submission for one review, written on UPR Hub."""

    review = models.ForeignKey(
        Review,
        on_delete=models.PROTECT,
        related_name="shadow_reports",
        verbose_name=_("review"),
        help_text=_("The State under review and the Working Group session."),
    )
    title = models.CharField(_("title"), max_length=255)
    submission_type = models.CharField(
        _("submission type"),
        max_length=12,
        choices=SubmissionType.choices,
        default=SubmissionType.INDIVIDUAL,
        help_text=_("A joint submission names every member organisation at the start."),
    )
    organisations = models.ManyToManyField(
        Organisation, through="ReportOrganisation", related_name="shadow_reports"
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=150,
        blank=True,
        help_text=_("OHCHR writes to this person about the submission."),
    )
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    key_words = models.CharField(
        _("key words"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas, e.g. death penalty, detention, migrants."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Bumped by every change of the cover (optimistic locking, as for paragraphs).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Any change of the text, citations or cover: sign-offs older than this must be renewed.
    content_changed_at = models.DateTimeField(_("text last changed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(_("marked final"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("shadow report")
        verbose_name_plural = _("shadow reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:detail", args=[self.pk])

    @property
    def is_joint(self) -> bool:
        return self.submission_type == SubmissionType.JOINT

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    @property
    def key_word_list(self) -> list[str]:
        return [w.strip() for w in self.key_words.split(",") if w.strip()]


class ReportOrganisation(models.Model):
    """An organisation submitting the report, in the order OHCHR should list them."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="report_memberships"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(
        _("short description for this report"),
        max_length=1500,
        blank=True,
        help_text=_(
            "Activities and date of establishment. Leave empty to use the organisation's own."
        ),
    )
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("submitting organisation")
        verbose_name_plural = _("submitting organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organisation"], name="report_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def description_text(self) -> str:
        return self.description or self.organisation.description

    def sign_off_is_current(self, report: Report) -> bool:
        """Signed off after the last change of the report (an edit makes it stale)."""
        return self.signed_off_at is not None and self.signed_off_at >= report.content_changed_at


class RoleOnReport(models.TextChoices):
    LEAD = "lead", _("Lead")
    DRAFTER = "drafter", _("Drafter")
    REVIEWER = "reviewer", _("Reviewer")


class ReportRole(models.Model):
    """What one person does on one report: leads it, drafts text, or reviews and comments."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=RoleOnReport.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("role on a report")
        verbose_name_plural = _("roles on reports")
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="report_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class SectionKind(models.TextChoices):
    """The structure OHCHR's guidelines for stakeholders suggest."""

    INTRODUCTION = "introduction", _("Introduction / executive summary")
    FOLLOW_UP = "follow_up", _("Follow-up to the previous review (one issue)")
    NEW_DEVELOPMENTS = "new_developments", _("New developments")
    RECOMMENDATIONS = "recommendations", _("Recommendations proposed by the submitters")
    OTHER = "other", _("Other")


#: Order of the kinds in the document; sections of one kind keep their own order.
SECTION_KIND_ORDER = {kind: index for index, kind in enumerate(SectionKind.values)}


class ReportSection(models.Model):
    """A heading and its paragraphs. Follow-up sections are one per issue."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("kind"), max_length=20, choices=SectionKind.choices)
    title = models.CharField(_("heading"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (SECTION_KIND_ORDER.get(self.kind, 99), self.order, self.pk or 0)


class ParagraphQuerySet(models.QuerySet["Paragraph"]):
    def current(self) -> ParagraphQuerySet:
        return self.filter(removed_at__isnull=True)


class Paragraph(models.Model):
    """A paragraph of a section; in the recommendations section, one proposed recommendation.

    `version` counts saves. A save names the version it started from and is refused when the
    row has moved on, so concurrent edits never silently overwrite each other. Removing a
    paragraph only hides it (`removed_at`): its history stays and it can be restored.
    """

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="paragraphs")
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), blank=True)
    footnotes = models.JSONField(
        _("footnotes"), default=list, blank=True, help_text=_("Sources, one per footnote.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")

    def __str__(self) -> str:
        return self.text[:60] or f"#{self.pk}"

    @property
    def key(self) -> str:
        """Identifies the paragraph in a ReportDocument (and in the validator's findings)."""
        return f"p{self.pk}"


class RevisionKind(models.TextChoices):
    CREATED = "created", _("Written")
    EDITED = "edited", _("Edited")
    AUTOSAVED = "autosaved", _("Saved automatically")
    RESTORED = "restored", _("Restored an earlier version")
    REMOVED = "removed", _("Removed")
    # Words taken out by UPR Hub itself, e.g. the quote of a consultation testimony that was
    # withdrawn (see `services.correct_paragraph`).
    CORRECTED = "corrected", _("Corrected by UPR Hub")


class Revision(models.Model):
    """The text of a paragraph after one save: the full history, never pruned."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("what happened"), max_length=10, choices=RevisionKind.choices)
    text = models.TextField(_("text"), blank=True)
    footnotes = models.JSONField(_("footnotes"), default=list, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        ordering = ["-version", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "version"], name="revision_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.paragraph_id} v{self.version}"


class Citation(models.Model):
    """A past recommendation cited in a section (typically one follow-up issue)."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="citations")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="report_citations"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("cited recommendation")
        verbose_name_plural = _("cited recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "recommendation"], name="citation_unique_in_section"
            )
        ]

    def __str__(self) -> str:
        return f"{self.section} – {self.recommendation}"


class Comment(models.Model):
    """A remark on one paragraph; resolved once dealt with (kept, not deleted)."""

    paragraph = models.ForeignKey(Paragraph, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=4000)
    # Written by UPR Hub itself, not a person (author is then empty): e.g. "a testimony quoted
    # here was withdrawn". Shown as coming from UPR Hub, not from a former member.
    system = models.BooleanField(_("from UPR Hub"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None
