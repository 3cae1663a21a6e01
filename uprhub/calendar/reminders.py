"""Which deadline reminders are due now — the selection only; sending is built elsewhere.

`reminders_due(now)` answers "which (deadline, days_before) pairs have reached their reminder
moment?" for every State under review. It is pure selection: it sends nothing, records nothing
and returns the same answer when called twice, so the sender can run it as often as it likes.

Design note for the sender (a `ReminderLog` model and a periodic task)
---------------------------------------------------------------------
* Identity. A reminder is (recipient, `reminder_key(entry, days)`). The key is built from
  `DeadlineEntry.key` — State, session and kind — and the number of days, never from a stored
  row's id or the date, so it survives an estimate being replaced by an OHCHR date and a
  deadline being moved (an extension does not send the same "7 days" reminder twice).
* Model (suggested)::

      class ReminderLog(models.Model):
          recipient_user = FK(User, null=True, on_delete=CASCADE)      # members …
          recipient_email = EmailField(blank=True)                      # … or list subscribers
          key = CharField(max_length=80)        # reminder_key(): "usa-53-hrc_adoption:7"
          state = FK(State, on_delete=CASCADE)  # for "my reminders" pages and clean-up
          due = DateTimeField()                 # the date announced, for the e-mail's record
          sent_at = DateTimeField(null=True)    # null while queued
          created_at = DateTimeField(auto_now_add=True)
          # UniqueConstraint(recipient_user, key) where user set; (recipient_email, key) otherwise

* Exactly once. In one transaction per recipient: INSERT the log row (the unique constraint
  makes a second insert fail, so a concurrent or repeated run skips it), then schedule the
  e-mail task with `transaction.on_commit`; the task re-fetches the row by id, sends, sets
  `sent_at`, and exits quietly when `sent_at` is already set. A crash between commit and
  sending leaves rows with `sent_at IS NULL` for a retry sweep, never a duplicate.
* Schedule. Run the task at least daily; `window` (one day by default) is how late a run may
  be and still send. A reminder whose window passed unsent is skipped rather than sent stale
  (a "60 days" e-mail at 40 days would mislead).
* Audience. Recipients follow States (taskforce membership, list subscription); for each
  (entry, days) pair pick those following `entry.state_code` who opted in, with their own
  `days` preference instead of DEFAULT_DAYS when they set one (call this function with the
  union of all preferences and filter per recipient).
* Estimated and cancelled dates. Cancelled entries never come out of here; estimated ones do,
  and the e-mail must say "estimated" (`entry.is_estimated`, `entry.rule`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone

from . import estimates
from .selectors import DeadlineEntry, entries_for_reviews, reviews_in_period

#: Days before a deadline at which members are reminded unless they chose otherwise.
DEFAULT_DAYS: tuple[int, ...] = (60, 30, 7, 1)

# How far back a review can lie and still have a future deadline (mid-term window: 30 months),
# and how far ahead a session can lie and have a deadline within the longest reminder period
# (stakeholder deadline: 7 months before the session) — with margins.
_LOOK_BACK = timedelta(days=31 * (estimates.MIDTERM_CLOSE_MONTHS_AFTER + 2))
_LOOK_AHEAD = timedelta(days=31 * (estimates.STAKEHOLDER_MONTHS_BEFORE + 2))


def reminder_key(entry: DeadlineEntry, days_before: int) -> str:
    return f"{entry.key}:{days_before}"


def reminders_due(
    now: datetime | None = None,
    days: Iterable[int] = DEFAULT_DAYS,
    *,
    window: timedelta = timedelta(days=1),
    kinds: Iterable[str] | None = None,
) -> list[tuple[DeadlineEntry, int]]:
    """(deadline, days_before) pairs whose reminder moment lies in (now − window, now].

    The reminder moment is the deadline minus `days_before` days (for an all-day date, its
    midnight in the deadline's time zone). Deadlines already past or cancelled are left out.
    Ordered by deadline, then by State.
    """
    now = now or timezone.now()
    days = sorted(set(days), reverse=True)
    if not days:
        return []
    wanted_kinds = set(kinds) if kinds is not None else None
    today = now.date()
    reviews = reviews_in_period(today - _LOOK_BACK, today + _LOOK_AHEAD + timedelta(days=max(days)))
    due: list[tuple[DeadlineEntry, int]] = []
    for entry in entries_for_reviews(reviews):
        if entry.cancelled or entry.due <= now:
            continue
        if wanted_kinds is not None and entry.kind not in wanted_kinds:
            continue
        for days_before in days:
            # Wall-clock arithmetic in the deadline's zone: "7 days before 23:59 Geneva" is
            # 23:59 Geneva a week earlier, even across a change to or from summer time.
            moment = entry.local_due - timedelta(days=days_before)
            if now - window < moment <= now:
                due.append((entry, days_before))
    return due
