"""Rounds' deadlines on the review calendar: the State's page and the iCalendar feeds show
them (public facts only); closed rounds and other States' rounds are left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from tests.factories import StateFactory
from uprhub.calendar import extra
from uprhub.followup import rounds

from .rounds_helpers import make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def made():
    today = timezone.localdate()
    return make_round(
        assessments_due=today + timedelta(days=20),
        review_due=today + timedelta(days=30),
        publish_on=today + timedelta(days=40),
        description="Internal notes that stay off the calendar",
    )


def test_the_source_gives_each_deadline(made):
    events = [e for e in extra.events("usa") if e.uid.startswith("followup-round-")]
    assert [e.uid for e in events] == [
        f"followup-round-{made.pk}-assessments_due@uprhub",
        f"followup-round-{made.pk}-review_due@uprhub",
        f"followup-round-{made.pk}-publish_on@uprhub",
    ]
    first = events[0]
    assert first.title == "Follow-up assessments due: Mid-term 2022"
    assert first.starts_at == datetime.combine(made.assessments_due, datetime.min.time(), UTC) + (
        timedelta(hours=12)
    )
    assert first.url == "/followup/rounds/mid-term-2022/" and first.state_code == "USA"
    assert first.description == "" and first.place == ""
    later = made.review_due
    window = extra.events(
        "USA",
        start=datetime.combine(later, datetime.min.time(), UTC),
        end=datetime.combine(later + timedelta(days=1), datetime.min.time(), UTC),
    )
    assert [e.uid for e in window] == [f"followup-round-{made.pk}-review_due@uprhub"]


def test_closed_rounds_and_other_states_are_left_out(made):
    StateFactory(code="HTI", iso3="HTI", short_name="Haiti")
    assert not [e for e in extra.events("HTI") if e.uid.startswith("followup-round-")]
    rounds.close_round(None, made)
    assert not [e for e in extra.events("USA") if e.uid.startswith("followup-round-")]


def test_on_the_states_calendar_page(client, made):
    page = client.get("/calendar/USA/").content.decode()
    assert "Follow-up assessments due: Mid-term 2022" in page
    assert 'href="/followup/rounds/mid-term-2022/"' in page
    assert "Internal notes" not in page


@pytest.mark.parametrize("feed", ["/calendar/USA.ics", "/calendar/all.ics"])
def test_in_the_icalendar_feeds(client, made, feed):
    response = client.get(feed)
    assert response.status_code == 200
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events[f"followup-round-{made.pk}-publish_on@uprhub"]
    assert str(event["SUMMARY"]) == "Follow-up publication planned: Mid-term 2022"
    assert event.decoded("DTSTART").date() == made.publish_on
    assert str(event["URL"]) == "http://testserver/followup/rounds/mid-term-2022/"
    assert "Internal notes" not in response.content.decode()
