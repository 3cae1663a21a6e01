"""Every State always has a next stakeholder deadline: the next cycles, estimated from the
review order, until OHCHR's calendar is loaded."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from icalendar import Calendar

from uprhub.calendar import projection, selectors
from uprhub.calendar.loader import load_calendar
from uprhub.calendar.models import DeadlineKind as K
from uprhub.calendar.selectors import Scope
from uprhub.reviews.models import Review, State

from .factories import DeadlineFactory, load_reference_rows, session, utc

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")
TODAY = utc(2026, 12, 6, 12)  # the 4th cycle's last stakeholder deadline (UPR 54) is over


@pytest.fixture
def bundled(db) -> None:
    load_reference_rows()
    summary = load_calendar()
    assert summary.errors == []


def _stakeholder(entries, number: int) -> selectors.DeadlineEntry:
    return next(e for e in entries if e.session == number and e.kind == K.STAKEHOLDER_SUBMISSION)


# --- The estimate itself -------------------------------------------------------------------


def test_next_session_is_fourteen_later_and_five_years_on(world) -> None:
    projected = projection.project_session(world.s50, 1, {})
    assert (projected.number, projected.cycle_id) == (64, 5)
    # 3 Nov 2025 + 5 years = Sunday 3 Nov 2030, moved to the Monday before.
    assert (projected.start_date, projected.end_date) == (date(2030, 10, 28), date(2030, 11, 8))
    assert projected.explanation == (
        "Estimated: same position in the review order as in cycle 4 (UPR 50, November 2025) "
        "plus 5 years, the time between earlier cycles."
    )
    assert "plus 10 years" in projection.project_session(world.s50, 2, {}).explanation


def test_a_rescheduled_review_keeps_the_states_place_in_the_order(world) -> None:
    # The US review of UPR 50 was rescheduled to 53: its place stays the 50th session's.
    assert projection.basis_review([world.usa50, world.usa53]) == world.usa50


def test_every_kind_of_the_estimated_review_is_marked_and_explained(world) -> None:
    entries = selectors.deadlines_for_state("ISL", TODAY)
    nxt = [e for e in entries if e.session == 68]
    assert {e.kind for e in nxt} == set(K.values)
    assert all(e.is_estimated and e.is_projected for e in nxt)
    stakeholder = _stakeholder(entries, 68)
    # 25 Jan 2027 + 5 years = Sun 25 Jan 2032 → Monday 19 Jan; seven months before.
    assert stakeholder.due == datetime(2031, 6, 19, 23, 59, tzinfo=GENEVA)
    assert stakeholder.rule.startswith(
        "Estimated: same position in the review order as in cycle 4 (UPR 54, January 2027) "
        "plus 5 years, the time between earlier cycles. Estimated as seven months before the "
        "session opens"
    )


def test_no_estimate_while_the_scheduled_review_still_has_an_open_deadline(world) -> None:
    entries = selectors.deadlines_for_state("ISL", utc(2026, 6, 20, 10))
    assert {e.session for e in entries} == {54}


def test_later_cycles_are_estimated_as_long_as_needed(world) -> None:
    # After the estimated UPR 68 deadline (19 June 2031), the one of UPR 82 is next.
    nxt = selectors.next_stakeholder_deadline("ISL", utc(2031, 7, 1))
    assert nxt is not None and nxt.session == 82 and nxt.is_estimated
    assert "plus 10 years" in nxt.rule


def test_published_session_dates_and_deadline_win_over_the_estimate(world) -> None:
    s64 = session(64, date(2030, 11, 4), date(2030, 11, 15), cycle=5)
    published = datetime(2030, 4, 1, 23, 59, tzinfo=GENEVA)
    DeadlineFactory(session=s64, due=published, source_note="OHCHR UPR 64 page")
    entry = selectors.next_stakeholder_deadline("USA", TODAY)
    assert entry is not None and entry.session == 64
    assert (entry.due, entry.scope, entry.source_note) == (
        published,
        Scope.SESSION,
        "OHCHR UPR 64 page",
    )
    # The date is OHCHR's, but that the US is reviewed at UPR 64 is still our estimate.
    assert entry.is_estimated and "14 sessions later" in entry.rule
    review_day = next(
        e
        for e in selectors.deadlines_for_state("USA", TODAY)
        if e.kind == K.REVIEW and e.session == 64
    )
    assert review_day.due.date() == date(2030, 11, 4)

    # Once the session's States are loaded, the review is no estimate any more.
    Review.objects.create(state=State.objects.get(code="USA"), session=s64)
    entry = selectors.next_stakeholder_deadline("USA", TODAY)
    assert entry is not None and (entry.due, entry.is_estimated, entry.projection) == (
        published,
        False,
        "",
    )


# --- With the bundled calendar -------------------------------------------------------------


def test_every_state_in_the_bundled_data_has_a_future_stakeholder_deadline(bundled) -> None:
    states = selectors.states_under_review()
    assert len(states) >= 193
    missing = []
    for state in states:
        entry = selectors.next_stakeholder_deadline(state.code, TODAY)
        if entry is None or entry.due <= TODAY:
            missing.append(state.code)
            continue
        assert entry.is_estimated and entry.is_projected, state.code
        # The 5th cycle (UPR 55–68) for every State: none is pushed to the 6th by an
        # estimate that puts its 5th-cycle deadline in the past.
        assert 55 <= entry.session <= 68, (state.code, entry.session)
        assert "same position in the review order" in entry.rule
    assert missing == []


def test_every_state_still_has_one_years_later(bundled) -> None:
    later = utc(2033, 3, 1)
    for state in selectors.states_under_review():
        entry = selectors.next_stakeholder_deadline(state.code, later)
        assert entry is not None and entry.due > later, state.code


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("code", ["FRA", "BRA", "IND", "NGA", "CHN", "MEX", "USA"])
def test_cli_lists_a_next_stakeholder_deadline(bundled, code: str) -> None:
    out = StringIO()
    call_command("calendar", "deadlines", code, stdout=out)
    text = out.getvalue()
    line = next(line for line in text.splitlines() if "Stakeholder submissions due" in line)
    assert "[estimated]" in line and "days left" in line
    assert "Next stakeholder submission deadline: " in text
    assert "same position in the review order as in cycle 4 (UPR " in text


@time_machine.travel(TODAY, tick=False)
def test_cli_shows_past_deadlines_as_closed(bundled) -> None:
    out = StringIO()
    call_command("calendar", "deadlines", "FRA", "--all", stdout=out)
    text = out.getvalue()
    # UPR 43 (May 2023): the deadline OHCHR published, 11 October 2022.
    assert "closed on 2022-10-11" in text
    assert "The previous one (UPR 43) closed on 2022-10-11." in text


def test_ical_feed_has_the_estimated_event_with_its_explanation(client, bundled) -> None:
    with time_machine.travel(TODAY, tick=False):
        response = client.get("/calendar/FRA.ics")
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    event = events["deadline-fra-57-stakeholder_submission@uprhub"]
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "[estimated]" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    assert (
        "Estimated: same position in the review order as in cycle 4 (UPR 43, May 2023) "
        "plus 5 years" in description
    )
    assert event.decoded("DTSTART") > TODAY

    with time_machine.travel(TODAY, tick=False):
        whole = client.get("/calendar/all.ics")
    uids = [str(e["UID"]) for e in Calendar.from_ical(whole.content).walk("VEVENT")]
    assert "deadline-all-57-stakeholder_submission@uprhub" in uids
    assert len(uids) == len(set(uids))


# --- Pages ---------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_whats_next_shows_the_next_submission_deadline_and_the_closed_one(client, world) -> None:
    html = client.get("/calendar/USA/").content.decode()
    assert "Next stakeholder submission deadline" in html
    # UPR 64, estimated from UPR 50: Monday 28 Oct 2030 − 7 months = Thursday 28 March 2030.
    assert '<time datetime="2030-03-28T23:59:00+01:00">Thursday 28 March 2030, 23:59</time>' in (
        html
    )
    assert "same position in the review order as in cycle 4 (UPR 50, November 2025)" in html
    # The estimated UPR 53 deadline (2 April 2026) is over: shown as closed, not hidden.
    assert "The previous deadline (UPR 53) closed on 2 April 2026." in html
    assert "closed on 2 April 2026" in html


@time_machine.travel(utc(2029, 8, 1), tick=False)  # UPR 54's mid-term window has closed
def test_whats_next_for_a_state_whose_next_review_is_estimated(client, world) -> None:
    html = client.get("/calendar/ISL/").content.decode()
    assert "Review at the Working Group's session UPR 68 (cycle 5)" in html
    assert "badge-estimated" in html


@time_machine.travel(TODAY, tick=False)
def test_whole_calendar_lists_the_estimated_sessions(client, world) -> None:
    html = client.get("/calendar/").content.decode()
    assert "UPR 68" in html and "UPR 64" in html
    assert "same position in the review order as in cycle 4 (UPR 54, January 2027)" in html


@time_machine.travel(TODAY, tick=False)
def test_home_and_state_page_show_the_us_stakeholder_deadline(client, world) -> None:
    home = client.get("/").content.decode()
    assert "Stakeholder submissions due" in home
    assert "28 March 2030" in home
    state_page = client.get("/states/USA/").content.decode()
    assert "Next stakeholder submission deadline" in state_page
    assert "28 March 2030" in state_page
    assert "closed on 2 April 2026" in state_page
    assert 'href="/calendar/USA/"' in state_page
