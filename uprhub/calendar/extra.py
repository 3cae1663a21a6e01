"""Events other apps put on the review calendar (e.g. a consultation's in-person sessions).

The calendar sits on a lower floor than the apps that have such events, so it cannot import
them: an app registers a source in its `AppConfig.ready()` with `register_event_source`, and
the calendar's pages and iCalendar feeds ask every source for the events of a State (or of
all States) between two moments. A source returns `CalendarEvent`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEvent:
    """One event on the calendar: public information only (it is in a public feed)."""

    uid: str  # stable across edits, unique across sources, e.g. "consultation-session-7@uprhub"
    title: str
    starts_at: datetime  # aware
    state_code: str
    ends_at: datetime | None = None
    place: str = ""
    description: str = ""
    url: str = ""  # a path on this site (made absolute by the feeds) or a full address
    category: str = "EVENT"  # an iCalendar CATEGORIES value
    updated_at: datetime | None = None

    def is_upcoming(self, now: datetime) -> bool:
        return (self.ends_at or self.starts_at) > now


#: fn(state_code, start, end): events of that State (all States when None) that overlap
#: [start, end) (no bound when None).
EventSource = Callable[[str | None, datetime | None, datetime | None], Iterable[CalendarEvent]]

_SOURCES: list[EventSource] = []


def register_event_source(source: EventSource) -> EventSource:
    """Add a source (once, however often `ready()` runs); usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def unregister_event_source(source: EventSource) -> None:
    if source in _SOURCES:
        _SOURCES.remove(source)


def events(
    state_code: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[CalendarEvent]:
    """Every registered source's events for a State (or all), soonest first."""
    found: list[CalendarEvent] = []
    code = state_code.upper() if state_code else None
    for source in _SOURCES:
        found.extend(source(code, start, end))
    return sorted(found, key=lambda event: (event.starts_at, event.uid))
