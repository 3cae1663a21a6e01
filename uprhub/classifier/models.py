"""Machine suggestions: labels a model proposed, kept apart from human and imported labels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from uprhub.recommendations.models import ActionCategory, Recommendation, Theme


class SuggestionKind(models.TextChoices):
    ISSUE = "issue", _("UPR Info issue")
    ACTION = "action", _("Action category")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def pending(self) -> SuggestionQuerySet:
        return self.filter(status=SuggestionStatus.PENDING)

    def for_recommendation(self, recommendation_id: int) -> SuggestionQuerySet:
        return self.filter(recommendation_id=recommendation_id).select_related(
            "theme", "decided_by"
        )


class Suggestion(models.Model):
    """A UPR Info issue or action category a model suggested for a recommendation.

    Never a label by itself: the web shows it as "suggested" until a member accepts it (which
    creates a :class:`~uprhub.recommendations.models.Label` entered by that member, or sets the
    action category) or rejects it. Accepted and rejected rows stay, as the record of who
    decided what and when, and so a rejected suggestion is not made again.
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="suggestions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SuggestionKind.choices)
    theme = models.ForeignKey(
        Theme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text=_("The suggested UPR Info issue (issue suggestions only)."),
    )
    action_category = models.PositiveSmallIntegerField(
        _("action category"),
        choices=ActionCategory.choices,
        null=True,
        blank=True,
        help_text=_("The suggested action category (action suggestions only)."),
    )
    score = models.FloatField(
        _("score"), help_text=_("The model's calibrated confidence, from 0 to 1.")
    )
    model_version = models.CharField(_("model version"), max_length=60)
    created_at = models.DateTimeField(_("suggested on"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("machine suggestion")
        verbose_name_plural = _("machine suggestions")
        ordering = ["recommendation_id", "kind", "-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "theme"],
                condition=Q(kind="issue"),
                name="suggestion_unique_issue",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "action_category"],
                condition=Q(kind="action"),
                name="suggestion_unique_action",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="issue", theme__isnull=False, action_category__isnull=True)
                    | Q(kind="action", theme__isnull=True, action_category__isnull=False)
                ),
                name="suggestion_kind_matches_value",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"], name="suggestion_status_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value_label} ({self.score:.2f})"

    @property
    def value_label(self) -> str:
        if self.kind == SuggestionKind.ISSUE:
            return self.theme.name if self.theme_id else ""
        return str(ActionCategory(self.action_category).label) if self.action_category else ""

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING
