"""iCalendar (RFC 5545) feeds of deadlines, built with the `icalendar` library.

Timed deadlines carry their zone (DTSTART;TZID=Europe/Zurich:…) and the feed embeds the
matching VTIMEZONE, so calendar apps show 23:59 Geneva time in the reader's own zone. All-day
dates (a review day, an adoption) are VALUE=DATE events, which RFC 5545 defines without a zone.

UIDs are built from the deadline's identity (State, session, kind), not from a row id, so an
event keeps its UID when OHCHR publishes a date that replaces our estimate: subscribed calendars
move the event instead of showing two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .extra import CalendarEvent
from .selectors import DeadlineEntry

PRODID = "-//UPR Hub//Review calendar//EN"


def _summary(entry: DeadlineEntry) -> str:
    where = entry.display_state_name or _("all States")
    text = _("%(label)s — %(where)s (UPR %(session)s)") % {
        "label": entry.label,
        "where": where,
        "session": entry.session,
    }
    if entry.cancelled:
        return _("Did not take place: %(summary)s") % {"summary": text}
    if entry.is_estimated:
        return _("%(summary)s [estimated]") % {"summary": text}
    return text


def _description(entry: DeadlineEntry, url: str) -> str:
    lines: list[str] = []
    if entry.cancelled:
        lines.append(_("This step did not take place."))
    if entry.is_estimated:
        lines.append(
            _("Estimated date: OHCHR has not published this one yet. %(rule)s")
            % {"rule": entry.rule}
            if entry.rule
            else _("Estimated date: not yet confirmed by OHCHR.")
        )
    if not entry.all_day:
        lines.append(
            _("Due %(when)s, Geneva time.") % {"when": entry.local_due.strftime("%Y-%m-%d %H:%M")}
        )
    if entry.source_note:
        lines.append(_("Source: %(source)s") % {"source": entry.display_source_note})
    if entry.guidance and not entry.cancelled:
        lines.append(_("What to do before it:"))
        lines.extend(f"- {step}" for step in entry.guidance)
    if url:
        lines.append(url)
    return "\n".join(lines)


def _event(entry: DeadlineEntry, stamp: datetime, url: str) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    if entry.all_day:
        first = entry.local_date
        last = entry.end or first
        event.add("dtstart", first)
        # DTEND of an all-day event is exclusive: the day after the last day.
        event.add("dtend", last + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        # A datetime in its own zone, so DTSTART gets TZID=<zone> rather than UTC. No DTEND:
        # a deadline is an instant, which RFC 5545 expresses by leaving DTEND out.
        event.add("dtstart", entry.local_due)
    event.add("summary", _summary(entry))
    event.add("description", _description(entry, url))
    if url:
        event.add("url", url)
    event.add(
        "status",
        "CANCELLED" if entry.cancelled else "TENTATIVE" if entry.is_estimated else "CONFIRMED",
    )
    event.add("categories", [entry.kind.upper().replace("_", "-")])
    if entry.updated_at:
        event.add("last-modified", entry.updated_at)
    return event


def _other_event(item: CalendarEvent, stamp: datetime, url: str) -> Event:
    """An event of another app (`extra.py`): timed, in UTC (it has no zone of its own)."""
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", item.starts_at.astimezone(UTC))
    if item.ends_at is not None:
        event.add("dtend", item.ends_at.astimezone(UTC))
    event.add("summary", item.title)
    lines = [line for line in (item.description, url) if line]
    if lines:
        event.add("description", "\n".join(lines))
    if item.place:
        event.add("location", item.place)
    if url:
        event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("categories", [item.category])
    if item.updated_at:
        event.add("last-modified", item.updated_at)
    return event


def build_calendar(
    entries: Iterable[DeadlineEntry],
    *,
    name: str,
    uid: str,
    url_for: Callable[[DeadlineEntry], str] = lambda entry: "",
    stamp: datetime | None = None,
    events: Iterable[CalendarEvent] = (),
    event_url: Callable[[CalendarEvent], str] = lambda event: event.url,
) -> bytes:
    """The .ics bytes of a feed: VCALENDAR, VTIMEZONEs of the zones used, one VEVENT each
    (deadlines, then other apps' `events`)."""
    stamp = stamp or timezone.now()
    entries = list(entries)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("uid", uid)
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    for entry in entries:
        cal.add_component(_event(entry, stamp, url_for(entry)))
    for item in events:
        cal.add_component(_other_event(item, stamp, event_url(item)))
    if entries:
        # Only the years the feed spans, to keep VTIMEZONE short (it lists each DST change).
        first = min(e.due for e in entries).year
        last = max(e.due for e in entries).year
        cal.add_missing_timezones(first_date=date(first, 1, 1), last_date=date(last + 1, 12, 31))
    return cal.to_ical()
