"""Writes of the calendar: a coordinator stores or corrects a deadline, with its source.

Every edit, from the web form, the admin or a command, goes through `set_deadline` (a new
stored date, usually replacing an estimate) or `update_deadline` (correcting a stored one). Both
run in one transaction and leave a `DeadlineChange` audit record.

The reads (`deadlines_for_state`, `next_deadline`, `reminders_due`) live in `selectors.py` and
`reminders.py`; they are re-exported here because callers look for the calendar's API in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.reviews.models import Review, Session

from .models import Deadline, DeadlineChange, DeadlineKind
from .reminders import reminders_due
from .selectors import deadlines_for_state, next_deadline

__all__ = [
    "DeadlineValues",
    "InvalidDeadline",
    "StaleDeadline",
    "deadlines_for_state",
    "next_deadline",
    "reminders_due",
    "set_deadline",
    "update_deadline",
]


class InvalidDeadline(ValueError):
    """The values cannot be stored (unknown time zone, naive datetime, missing source)."""


class StaleDeadline(Exception):
    """Someone saved the deadline after the editor loaded it; their change is kept."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(f"deadline {deadline.pk} changed since it was loaded")
        self.deadline = deadline


@dataclass(frozen=True)
class DeadlineValues:
    due: datetime
    source_note: str
    all_day: bool = False
    time_zone: str = "Europe/Zurich"
    is_estimated: bool = False
    cancelled: bool = False

    def check(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidDeadline(
                _("Unknown time zone %(zone)s.") % {"zone": self.time_zone}
            ) from exc
        if timezone.is_naive(self.due):
            raise InvalidDeadline(_("The date needs a time zone."))
        if not self.source_note.strip():
            raise InvalidDeadline(_("Say where the date comes from."))


def set_deadline(
    *,
    actor: AbstractBaseUser | None,
    kind: str,
    values: DeadlineValues,
    session: Session | None = None,
    review: Review | None = None,
) -> Deadline:
    """Store a deadline for a whole session or for one review (exactly one of the two).

    Raises IntegrityError when one is already stored for that target and kind: the caller
    should then edit it instead.
    """
    if (session is None) == (review is None):
        raise InvalidDeadline("give either a session or a review")
    if kind not in DeadlineKind.values:
        raise InvalidDeadline(f"unknown kind {kind!r}")
    values.check()
    with transaction.atomic():
        deadline = Deadline.objects.create(
            session=session,
            review=review,
            kind=kind,
            due=values.due,
            all_day=values.all_day,
            time_zone=values.time_zone,
            is_estimated=values.is_estimated,
            cancelled=values.cancelled,
            source_note=values.source_note.strip(),
            updated_by=_user_or_none(actor),
        )
        DeadlineChange.objects.create(
            deadline=deadline,
            changed_by=_user_or_none(actor),
            previous_due=None,
            due=deadline.due,
            source_note=deadline.source_note,
        )
    return deadline


def update_deadline(
    deadline: Deadline,
    *,
    actor: AbstractBaseUser | None,
    values: DeadlineValues,
    expected_version: int,
) -> Deadline:
    """Correct a stored deadline, refusing the save if it changed since `expected_version`.

    The check and the write are one conditional UPDATE, so two coordinators saving at the same
    moment cannot both win. Raises StaleDeadline with the current row when refused.
    """
    values.check()
    with transaction.atomic():
        updated = Deadline.objects.filter(pk=deadline.pk, version=expected_version).update(
            due=values.due,
            all_day=values.all_day,
            time_zone=values.time_zone,
            is_estimated=values.is_estimated,
            cancelled=values.cancelled,
            source_note=values.source_note.strip(),
            updated_by=_user_or_none(actor),
            # update() bypasses auto_now, so the timestamp is set here.
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        if not updated:
            current = Deadline.objects.filter(pk=deadline.pk).first()
            raise StaleDeadline(current or deadline)
        DeadlineChange.objects.create(
            deadline=deadline,
            changed_by=_user_or_none(actor),
            previous_due=deadline.due,
            due=values.due,
            source_note=values.source_note.strip(),
        )
    deadline.refresh_from_db()
    return deadline


def _user_or_none(actor: AbstractBaseUser | None) -> User | None:
    # The loader and commands act without a user; AnonymousUser is not a row either.
    return actor if isinstance(actor, User) and actor.pk else None
