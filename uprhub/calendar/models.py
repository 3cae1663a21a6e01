"""Deadlines of UPR reviews, stored per session or per review and editable by coordinators.

A deadline that OHCHR has not published is not stored at all: the selectors compute it from the
session dates (see `estimates.py`) and mark it as estimated. A stored row always wins over the
estimate; a row for one review wins over a row for the whole session.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from uprhub.reviews.models import Review, Session

#: Geneva's IANA zone. There is no "Europe/Geneva": Switzerland has one zone, named after Zurich.
GENEVA_TZ = "Europe/Zurich"


class DeadlineKind(models.TextChoices):
    # The order is the order of a review's life, which the pages and the CLI keep.
    STAKEHOLDER_SUBMISSION = "stakeholder_submission", _("Stakeholder submissions due")
    NATIONAL_REPORT = "national_report", _("National report due")
    REVIEW = "review", _("Review in the Working Group")
    WG_ADOPTION = "wg_adoption", _("Working Group adopts its report")
    HRC_ADOPTION = "hrc_adoption", _("Human Rights Council adopts the outcome")
    MIDTERM_WINDOW_OPEN = "midterm_window_open", _("Mid-term report window opens")
    MIDTERM_WINDOW_CLOSE = "midterm_window_close", _("Mid-term report window closes")


KIND_ORDER: dict[str, int] = {value: index for index, value in enumerate(DeadlineKind.values)}


class DeadlineQuerySet(models.QuerySet["Deadline"]):
    def session_wide(self) -> DeadlineQuerySet:
        return self.filter(review__isnull=True)

    def for_sessions(self, numbers: list[int]) -> DeadlineQuerySet:
        return self.filter(session_id__in=numbers)

    def for_reviews(self, review_ids: list[int]) -> DeadlineQuerySet:
        return self.filter(review_id__in=review_ids)


class Deadline(models.Model):
    """One date in a review's life, as published by OHCHR (or set by a coordinator).

    Exactly one of `session` (applies to every State reviewed at that session) and `review`
    (one State's review) is set.
    """

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
        verbose_name=_("Working Group session"),
        help_text=_("Set for a date that applies to every State reviewed at the session."),
    )
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="deadlines",
        null=True,
        blank=True,
        verbose_name=_("review"),
        help_text=_("Set for a date that applies to one State's review only."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    due = models.DateTimeField(
        _("due"), help_text=_("The moment of the deadline; for an all-day date, its midnight.")
    )
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("The date matters, not the time (a review day, an adoption)."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=GENEVA_TZ,
        help_text=_("IANA time zone of the deadline; OHCHR deadlines are in Geneva time."),
    )
    is_estimated = models.BooleanField(
        _("estimated"),
        default=False,
        help_text=_("Tick when the date is not yet confirmed by OHCHR."),
    )
    cancelled = models.BooleanField(
        _("did not take place"),
        default=False,
        help_text=_("Tick when the step was cancelled, e.g. a State that did not take part."),
    )
    source_note = models.CharField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("Where the date comes from (OHCHR page, note verbale, e-mail…)."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    # Optimistic concurrency: an edit names the version it started from and is refused when
    # someone saved in between (a counter, because two saves can share a timestamp).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(session__isnull=False, review__isnull=True)
                    | models.Q(session__isnull=True, review__isnull=False)
                ),
                name="deadline_session_xor_review",
            ),
            models.UniqueConstraint(
                fields=["session", "kind"],
                condition=models.Q(review__isnull=True),
                name="deadline_unique_session_kind",
            ),
            models.UniqueConstraint(
                fields=["review", "kind"],
                condition=models.Q(review__isnull=False),
                name="deadline_unique_review_kind",
            ),
        ]

    def __str__(self) -> str:
        target = self.review if self.review_id else self.session
        return f"{self.get_kind_display()} — {target}"

    @property
    def session_number(self) -> int:
        return self.session_id if self.session_id else self.review.session_id


class DeadlineChange(models.Model):
    """An audit record of one edit: who moved which date, from what, and on what source."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    previous_due = models.DateTimeField(_("previous date"), null=True, blank=True)
    due = models.DateTimeField(_("new date"))
    source_note = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")

    def __str__(self) -> str:
        return f"{self.deadline} @ {self.changed_at:%Y-%m-%d %H:%M}"
