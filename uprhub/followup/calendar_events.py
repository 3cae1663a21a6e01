"""Follow-up on the review calendar and in the reminder e-mails: registered in
``FollowupConfig.ready()``.

The calendar and the mailing lists sit on lower floors and cannot import follow-up, so it
registers here: each open round's deadlines (assessments due, review due, publication) as
events of the State of the round's review, and the round reminders' sender
(`followup.reminders`). Only public facts leave for the calendar: the round's name and the
date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from uprhub.calendar.extra import CalendarEvent, register_event_source

from .round_selectors import DEADLINE_FIELDS, deadline_moment, open_rounds_with_deadlines


def _title(field: str, name: str) -> str:
    if field == "assessments_due":
        return _("Follow-up assessments due: %(round)s") % {"round": name}
    if field == "review_due":
        return _("Follow-up review due: %(round)s") % {"round": name}
    return _("Follow-up publication planned: %(round)s") % {"round": name}


def round_events(
    state_code: str | None, start: datetime | None, end: datetime | None
) -> Iterable[CalendarEvent]:
    rounds = open_rounds_with_deadlines()
    if state_code:
        rounds = rounds.filter(review__state__code=state_code.upper())
    # Rough filter in the database (a date range), exact one below on the moments.
    if start is not None:
        later = Q()
        for field in DEADLINE_FIELDS:
            later |= Q(**{f"{field}__gte": start.date()})
        rounds = rounds.filter(later)
    for round_ in rounds:
        for field in DEADLINE_FIELDS:
            day = getattr(round_, field)
            if day is None:
                continue
            moment = deadline_moment(day)
            if (start is not None and moment < start) or (end is not None and moment >= end):
                continue
            yield CalendarEvent(
                uid=f"followup-round-{round_.pk}-{field}@uprhub",
                title=_title(field, round_.name),
                starts_at=moment,
                state_code=round_.review.state.code,
                url=round_.get_absolute_url(),
                category="FOLLOWUP-DEADLINE",
                updated_at=round_.updated_at,
            )


def register() -> None:
    """Add the event source (rounds' deadlines) and the round reminders' sender."""
    from uprhub.mailinglists.extra import register_reminder_source

    from .reminders import send_round_reminders

    register_event_source(round_events)
    register_reminder_source(send_round_reminders)
