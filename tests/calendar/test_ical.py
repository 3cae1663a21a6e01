"""The iCalendar feeds parse back with icalendar, with their zones, stable UIDs and statuses."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from uprhub.calendar.models import DeadlineKind as K

from .factories import DeadlineFactory

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_state_feed_has_prodid_version_vtimezone_and_tzid(client, world) -> None:
    DeadlineFactory(session=world.s54, due=datetime(2026, 6, 15, 23, 59, tzinfo=GENEVA))
    response = client.get("/calendar/HTI.ics")
    text = response.content.decode()
    cal = _parse(response)
    assert str(cal["VERSION"]) == "2.0"
    assert "UPR Hub" in str(cal["PRODID"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Zurich"]
    assert "DTSTART;TZID=Europe/Zurich:20260615T235900" in text

    events = _events(cal)
    stakeholder = events["deadline-hti-54-stakeholder_submission@uprhub"]
    start = stakeholder.decoded("DTSTART")
    assert start.astimezone(UTC) == datetime(2026, 6, 15, 21, 59, tzinfo=UTC)
    assert str(stakeholder["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in stakeholder
    assert str(stakeholder["URL"]).endswith("/calendar/HTI/")
    assert "Source: OHCHR session page" in str(stakeholder["DESCRIPTION"])


def test_estimates_are_tentative_and_say_so(client, world) -> None:
    events = _events(_parse(client.get("/calendar/HTI.ics")))
    national = events["deadline-hti-54-national_report@uprhub"]
    assert str(national["STATUS"]) == "TENTATIVE"
    assert "[estimated]" in str(national["SUMMARY"])
    assert "Estimated date" in str(national["DESCRIPTION"])


def test_all_day_dates_and_spans_are_date_values(client, world) -> None:
    events = _events(_parse(client.get("/calendar/HTI.ics")))
    review = events["deadline-hti-54-review@uprhub"]
    assert review.decoded("DTSTART") == date(2027, 1, 25)
    assert review.decoded("DTEND") == date(2027, 2, 6)  # exclusive end: the day after


def test_cancelled_steps_are_cancelled_events(client, world) -> None:
    DeadlineFactory(
        review=world.usa50,
        kind=K.HRC_ADOPTION,
        due=datetime(2026, 3, 16, tzinfo=GENEVA),
        all_day=True,
        cancelled=True,
        source_note="The United States did not take part",
    )
    events = _events(_parse(client.get("/calendar/USA.ics")))
    assert str(events["deadline-usa-50-hrc_adoption@uprhub"]["STATUS"]) == "CANCELLED"


def test_whole_calendar_feed_has_session_wide_events_once(client, world) -> None:
    cal = _parse(client.get("/calendar/all.ics"))
    uids = list(_events(cal))
    assert "deadline-all-54-stakeholder_submission@uprhub" in uids
    # Per-State estimates are not repeated; the recorded US dialogue day is there.
    assert "deadline-hti-54-stakeholder_submission@uprhub" not in uids
    assert "deadline-usa-50-review@uprhub" in uids
    assert len(uids) == len(set(uids))


def test_unknown_state_feed_is_404(client, db) -> None:
    assert client.get("/calendar/XXX.ics").status_code == 404


def test_whole_calendar_feed_with_the_bundled_data(client, db) -> None:
    from uprhub.calendar.loader import load_calendar

    from .factories import load_reference_rows

    load_reference_rows()
    load_calendar()
    cal = _parse(client.get("/calendar/all.ics"))
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    assert "deadline-usa-9-hrc_adoption@uprhub" in uids
    assert "deadline-usa-50-review@uprhub" in uids
    assert "deadline-all-47-stakeholder_submission@uprhub" in uids
