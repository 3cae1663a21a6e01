"""Reminders of assessment rounds' deadlines, each sent exactly once per person.

Run by the mailing lists' periodic reminder run (the `send_reminders` command and
`send_reminders_task`), where `calendar_events.register()` adds `send_round_reminders`
(`uprhub.mailinglists.extra`): no scheduler of its own.

Who hears of what (`AUDIENCE`): assessors of the assessments' and the review's deadlines
(they assess, and draft the positions that are reviewed), reviewers of the review's and the
publication's. Each gets, `days` (7 and 1 by default) before the deadline, one e-mail with
their progress ("you have assessed 12 of 347") and the links; someone with both roles gets one
e-mail with both.

Exactly once: as for the deadline reminders, a `ReminderLog(email, key)` row is inserted
first, key ``followup-round-<id>-<deadline>:<days>``; its unique constraint makes a second
insert fail (a repeated or concurrent run) and nothing is sent. The row and the message are
written in one transaction: the message goes to the outbox (`core.outbox`), which sends it
after commit and retries while the server is down, so the row is marked sent ("handed over")
at once and the mailing lists' own retries never touch it. With no mail server configured
(`core.outbox.mail_is_captured`) the outbox keeps the message on the admins' Outbox page, as
for every other one-to-one e-mail.

Closed rounds send nothing. A reminder whose moment passed more than `WINDOW` ago is not
sent late (a run after an outage does not send "in 7 days" three days before).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from uprhub.core.mail import HeaderInjectionError, absolute_url, schedule_mail
from uprhub.mailinglists.models import DeliveryStatus, ReminderLog

from . import round_selectors
from .models import AssessmentRound, RoundRole, RoundRoleKind
from .round_selectors import DEADLINE_FIELDS, deadline_moment

log = logging.getLogger(__name__)

DEFAULT_DAYS = (7, 1)
WINDOW = timedelta(days=1)
TEMPLATE = "followup_round_reminder"

AUDIENCE: dict[str, tuple[str, ...]] = {
    "assessments_due": (RoundRoleKind.ASSESSOR,),
    "review_due": (RoundRoleKind.ASSESSOR, RoundRoleKind.REVIEWER),
    "publish_on": (RoundRoleKind.REVIEWER,),
}


def reminder_key(round_: AssessmentRound, deadline: str, days_before: int) -> str:
    return f"followup-round-{round_.pk}-{deadline}:{days_before}"


@dataclass
class RoundReminderReport:
    due: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, Any]:
        counts = {"due": self.due, "sent": self.sent, "skipped": self.skipped}
        if self.failed:
            counts["failed"] = self.failed
        return counts


def due_reminders(
    now: datetime, days: tuple[int, ...] = DEFAULT_DAYS
) -> list[tuple[AssessmentRound, str, date, int]]:
    """(round, deadline, its date, days before) whose moment lies in (now − WINDOW, now]."""
    found = []
    for round_ in round_selectors.open_rounds_with_deadlines():
        for deadline in DEADLINE_FIELDS:
            day = getattr(round_, deadline)
            if day is None:
                continue
            for days_before in days:
                moment = deadline_moment(day) - timedelta(days=days_before)
                if now - WINDOW < moment <= now:
                    found.append((round_, deadline, day, days_before))
    return found


def _recipients(round_: AssessmentRound, deadline: str) -> dict[Any, list[RoundRole]]:
    roles = (
        RoundRole.objects.filter(round=round_, role__in=AUDIENCE[deadline], user__is_active=True)
        .select_related("user__profile", "organisation")
        .order_by("user_id", "role")
    )
    by_user: dict[Any, list[RoundRole]] = defaultdict(list)
    for role in roles:
        by_user[role.user].append(role)
    return by_user


def _progress_lines(round_: AssessmentRound, roles: list[RoundRole]) -> list[dict[str, Any]]:
    lines = []
    for role in roles:
        if role.role == RoundRoleKind.ASSESSOR and role.organisation_id is not None:
            progress = round_selectors.assessor_progress(round_, role.organisation_id)
            lines.append(
                {
                    "role": "assessor",
                    "organisation": role.organisation.name if role.organisation else "",
                    "done": progress.done,
                    "total": progress.total,
                }
            )
        elif role.role == RoundRoleKind.REVIEWER:
            progress = round_selectors.reviewer_progress(round_)
            lines.append({"role": "reviewer", "done": progress.done, "total": progress.total})
    return lines


def _send_one(
    user: Any,
    roles: list[RoundRole],
    round_: AssessmentRound,
    deadline: str,
    day: date,
    days_before: int,
) -> bool:
    """Log and queue one reminder; False when this person already had it."""
    context = {
        "round_name": round_.name,
        "state_name": round_.review.state.display_name,
        "deadline": deadline,
        "due": day,
        "days_before": days_before,
        "progress": _progress_lines(round_, roles),
        "round_url": absolute_url(round_.get_absolute_url()),
        "work_url": absolute_url(reverse("followup:work", args=[round_.slug])),
    }
    profile = getattr(user, "profile", None)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                email=user.email,
                key=reminder_key(round_, deadline, days_before),
                state_code=round_.review.state.code,
                due=deadline_moment(day),
                context={"round": round_.pk, "deadline": deadline, "days_before": days_before},
                status=DeliveryStatus.SENT,  # handed to the outbox, which sends and retries
                sent_at=timezone.now(),
            )
            schedule_mail(
                user.email,
                TEMPLATE,
                context,
                name=profile.full_name if profile is not None else None,
            )
    except IntegrityError:
        return False
    return True


def send_round_reminders(
    now: datetime | None = None, *, days: tuple[int, ...] = DEFAULT_DAYS
) -> dict[str, Any]:
    """Send every round reminder due at `now`, each once per person; returns the counts."""
    now = now or timezone.now()
    report = RoundReminderReport()
    for round_, deadline, day, days_before in due_reminders(now, days):
        for user, roles in _recipients(round_, deadline).items():
            report.due += 1
            try:
                sent = _send_one(user, roles, round_, deadline, day, days_before)
            except (HeaderInjectionError, ValueError):
                # An address the mail layer refuses: nothing was logged, the others still go.
                log.exception("Round reminder to user %s not queued", user.pk)
                report.failed += 1
                continue
            if sent:
                report.sent += 1
            else:
                report.skipped += 1
    return report.as_dict()
