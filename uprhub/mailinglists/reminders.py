"""Deadline reminders by e-mail, each sent exactly once per address.

`send_reminders(now)` asks `uprhub.calendar.reminders.reminders_due(now)` which
(deadline, days before) pairs have reached their moment, picks the opted-in recipients who
follow each State and want that many days' notice, and for each one:

1. INSERTs a `ReminderLog(email, key)` row in its own transaction. The unique constraint on
   (email, key) makes a second insert fail — from a repeated run, a concurrent run, or an
   address that is both a member and a subscriber — and then nothing is sent.
2. Sends the e-mail (all of a run over one SMTP connection) and marks the row `sent`.

A send that fails leaves the row `pending` with the error; the next run retries it while the
deadline is still ahead (rows are never re-created, so a retry cannot multiply). As with
list posts, only a crash between the server's "250" and the row's UPDATE can repeat one
message, and only after CLAIM_TIMEOUT.

Run it at least daily (hourly is fine and catches up sooner after an outage): see the
`send_reminders` command and `tasks.send_reminders_task`.
"""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from uprhub.calendar.reminders import reminder_key, reminders_due
from uprhub.calendar.selectors import DeadlineEntry
from uprhub.core.mail import HeaderInjectionError, absolute_url

from . import extra, tokens
from .delivery import CLAIM_TIMEOUT, classify, describe, max_attempts
from .models import (
    MEMBER_ROLES,
    DeliveryStatus,
    ReminderLog,
    ReminderPreference,
    Subscription,
    SubscriptionStatus,
)
from .rendering import build_message

log = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    due: int = 0
    created: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    connection_error: str = ""
    # What each reminder source of a higher floor did (`extra.run_sources`), by its name.
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)


def eligible_preferences() -> list[ReminderPreference]:
    """Opted-in addresses that are members, or subscribers of at least one list."""
    active_subscription = Subscription.objects.filter(
        subscriber=OuterRef("subscriber"), status=SubscriptionStatus.ACTIVE
    )
    member = Q(subscriber__user__is_active=True) & (
        Q(subscriber__user__is_superuser=True) | Q(subscriber__user__profile__role__in=MEMBER_ROLES)
    )
    return list(
        ReminderPreference.objects.filter(opted_in=True, subscriber__confirmed_at__isnull=False)
        .filter(member | Q(Exists(active_subscription)))
        .select_related("subscriber")
        .prefetch_related("states")
        .distinct()
    )


def _days(preference: ReminderPreference) -> set[int]:
    try:
        return {int(day) for day in preference.days or ()}
    except (TypeError, ValueError):
        return set()


def _context(entry: DeadlineEntry, days_before: int) -> dict[str, Any]:
    return {
        "state_code": entry.state_code,
        "state_name": entry.state_name,
        "kind": entry.kind,
        "label": entry.label,
        "session": entry.session,
        "due": entry.due.isoformat(),
        "local_due": entry.local_due.isoformat(),
        "time_zone": entry.time_zone,
        "all_day": entry.all_day,
        "is_estimated": entry.is_estimated,
        "rule": entry.rule,
        "days_before": days_before,
    }


def _record(
    preference: ReminderPreference, entry: DeadlineEntry, days_before: int
) -> ReminderLog | None:
    """Insert the log row first; None when this reminder already exists for the address."""
    try:
        with transaction.atomic():
            return ReminderLog.objects.create(
                email=preference.subscriber.email,
                subscriber=preference.subscriber,
                key=reminder_key(entry, days_before),
                state_code=entry.state_code,
                due=entry.due,
                context=_context(entry, days_before),
                claimed_at=timezone.now(),
            )
    except IntegrityError:
        return None


def _retryable(now: datetime) -> list[ReminderLog]:
    """Claim rows whose earlier send failed, or whose sender died (stale claim), while the
    deadline is still ahead. The conditional UPDATE makes two concurrent runs claim each
    row at most once between them. Claims use the real clock, `now` only the deadline."""
    clock = timezone.now()
    candidates = ReminderLog.objects.filter(
        status=DeliveryStatus.PENDING, due__gt=now, attempts__lt=max_attempts()
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=clock - CLAIM_TIMEOUT))
    claimed = []
    for row in candidates.select_related("subscriber__reminder_preference"):
        taken = (
            ReminderLog.objects.filter(pk=row.pk, status=DeliveryStatus.PENDING)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=clock - CLAIM_TIMEOUT))
            .update(claimed_at=clock)
        )
        if taken:
            claimed.append(row)
    return claimed


def _message(row: ReminderLog) -> Any:
    context = dict(row.context)
    local_due = parse_datetime(context["local_due"])
    preference = getattr(row.subscriber, "reminder_preference", None) if row.subscriber else None
    off_url = (
        tokens.reminders_off_url(preference, row.email)
        if preference is not None
        else absolute_url(reverse("mailinglists:preferences"))
    )
    preferences_url = (
        tokens.preferences_url(row.subscriber)
        if row.subscriber is not None
        else absolute_url(reverse("mailinglists:preferences"))
    )
    context.update(
        {
            "local_due": local_due,
            "calendar_url": absolute_url(reverse("calendar:state", args=[context["state_code"]])),
            "reminders_off_url": off_url,
            "preferences_url": preferences_url,
            "site_url": absolute_url(""),
        }
    )
    subject = " ".join(render_to_string("emails/reminder_deadline_subject.txt", context).split())
    return build_message(
        to=row.email,
        subject=subject,
        text=render_to_string("emails/reminder_deadline.txt", context),
        html=render_to_string("emails/reminder_deadline.html", context),
        headers={
            "List-Unsubscribe": f"<{off_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        },
    )


def _mark(row: ReminderLog, *, sent: bool, error: str = "", permanent: bool = False) -> None:
    attempts = row.attempts + 1
    if sent:
        status = DeliveryStatus.SENT
    elif permanent or attempts >= max_attempts():
        status = DeliveryStatus.FAILED
    else:
        status = DeliveryStatus.PENDING
    ReminderLog.objects.filter(pk=row.pk).update(
        status=status,
        attempts=attempts,
        last_error=error[:500],
        sent_at=timezone.now() if sent else None,
        claimed_at=None,
    )


def _deliver(rows: list[ReminderLog], report: ReminderReport) -> None:
    if not rows:
        return
    connection = mailers.default
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        report.connection_error = describe(error)
        # Count the attempt so the next run knows these rows are retries, not in flight.
        for row in rows:
            _mark(row, sent=False, error=report.connection_error)
        return
    try:
        for index, row in enumerate(rows):
            try:
                connection.send_messages([_message(row)])
            except (HeaderInjectionError, ValueError) as error:
                _mark(row, sent=False, error=str(error), permanent=True)
                report.failed += 1
            except (smtplib.SMTPException, OSError) as error:
                kind = classify(error)
                _mark(row, sent=False, error=describe(error), permanent=kind == "permanent")
                report.failed += 1
                if kind == "connection":
                    report.connection_error = describe(error)
                    for rest in rows[index + 1 :]:
                        _mark(rest, sent=False, error=report.connection_error)
                    return
            else:
                _mark(row, sent=True)
                report.sent += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            log.debug("Closing a broken SMTP connection failed", exc_info=True)


def send_reminders(
    now: datetime | None = None, *, window: timedelta | None = None
) -> ReminderReport:
    """Send every reminder that is due at `now` (default: the current time) exactly once."""
    now = now or timezone.now()
    report = ReminderReport()
    preferences = eligible_preferences()
    followers: dict[str, list[ReminderPreference]] = defaultdict(list)
    all_days: set[int] = set()
    for preference in preferences:
        days = _days(preference)
        all_days |= days
        for state in preference.states.all():
            followers[state.code].append(preference)
    # A reminder that could not go out before its deadline is useless now: close it.
    ReminderLog.objects.filter(status=DeliveryStatus.PENDING, due__lte=now).update(
        status=DeliveryStatus.FAILED, last_error="The deadline passed before it could be sent"
    )
    retries = _retryable(now)
    new_rows: list[ReminderLog] = []
    if followers and all_days:
        kwargs: dict[str, Any] = {"window": window} if window is not None else {}
        for entry, days_before in reminders_due(now, days=all_days, **kwargs):
            for preference in followers.get(entry.state_code, ()):
                if days_before not in _days(preference):
                    continue
                report.due += 1
                row = _record(preference, entry, days_before)
                if row is None:
                    report.skipped += 1
                else:
                    new_rows.append(row)
    report.created = len(new_rows)
    _deliver(retries + new_rows, report)
    report.sources = extra.run_sources(now)
    return report
