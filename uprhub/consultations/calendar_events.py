"""A consultation's in-person sessions as events of the review calendar (`calendar.extra`).

Registered in `ConsultationsConfig.ready()`: the calendar is on a lower floor and cannot ask
for them itself. Only public facts leave here: the consultation's title, the place and time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from uprhub.calendar.extra import CalendarEvent

from .models import InPersonSession


def session_events(
    state_code: str | None, start: datetime | None, end: datetime | None
) -> Iterable[CalendarEvent]:
    sessions = InPersonSession.objects.select_related("consultation__review__state")
    if state_code:
        sessions = sessions.filter(consultation__review__state__code=state_code.upper())
    if start is not None:
        # Still going at `start`: it ends after it (or, without an end, starts after it).
        sessions = sessions.filter(
            Q(ends_at__gt=start) | Q(ends_at__isnull=True, starts_at__gte=start)
        )
    if end is not None:
        sessions = sessions.filter(starts_at__lt=end)
    for session in sessions:
        consultation = session.consultation
        yield CalendarEvent(
            uid=f"consultation-session-{session.pk}@uprhub",
            title=_("In-person session: %(title)s") % {"title": consultation.title},
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            place=session.place,
            description=session.description,
            url=reverse("consultations:detail", args=[consultation.slug]),
            state_code=consultation.review.state.code,
            category="CONSULTATION-SESSION",
            updated_at=session.created_at,
        )
