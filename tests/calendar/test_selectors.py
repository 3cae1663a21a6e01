"""Stored dates over estimates, the "What's next" reads and their query budget."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from uprhub.calendar import selectors
from uprhub.calendar.models import DeadlineKind as K
from uprhub.calendar.selectors import Scope
from uprhub.reviews.models import State

from .factories import DeadlineFactory, utc

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")


def _by_kind(entries, session: int) -> dict[str, selectors.DeadlineEntry]:
    return {e.kind: e for e in entries if e.session == session}


def test_every_kind_is_estimated_when_nothing_is_stored(world) -> None:
    entries = _by_kind(selectors.deadlines_for_state("HTI"), 54)
    assert set(entries) == set(K.values)
    assert all(e.is_estimated and e.scope == Scope.ESTIMATE for e in entries.values())
    stakeholder = entries[K.STAKEHOLDER_SUBMISSION]
    assert stakeholder.due == datetime(2026, 6, 25, 23, 59, tzinfo=GENEVA)
    assert stakeholder.rule  # the page explains how it was estimated


def test_session_wide_row_beats_the_estimate_and_review_row_beats_both(world) -> None:
    session_due = datetime(2026, 6, 15, 23, 59, tzinfo=GENEVA)
    DeadlineFactory(session=world.s54, due=session_due, source_note="OHCHR UPR 54 page")
    haiti_due = datetime(2026, 7, 1, 23, 59, tzinfo=GENEVA)
    DeadlineFactory(review=world.hti54, due=haiti_due, source_note="OHCHR extension for Haiti")

    haiti = _by_kind(selectors.deadlines_for_state("HTI"), 54)[K.STAKEHOLDER_SUBMISSION]
    iceland = _by_kind(selectors.deadlines_for_state("ISL"), 54)[K.STAKEHOLDER_SUBMISSION]
    assert (haiti.due, haiti.scope, haiti.is_estimated) == (haiti_due, Scope.REVIEW, False)
    assert haiti.source_note == "OHCHR extension for Haiti"
    assert (iceland.due, iceland.scope, iceland.is_estimated) == (
        session_due,
        Scope.SESSION,
        False,
    )
    assert iceland.rule == ""  # not an estimate


def test_recorded_dialogue_day_is_not_an_estimate(world) -> None:
    review = _by_kind(selectors.deadlines_for_state("USA"), 50)[K.REVIEW]
    assert review.scope == Scope.RECORD and not review.is_estimated
    assert review.local_date == date(2025, 11, 7) and review.all_day


def test_a_stored_dialogue_day_moves_the_estimates_that_follow_it(world) -> None:
    DeadlineFactory(
        review=world.usa53,
        kind=K.REVIEW,
        due=datetime(2026, 11, 5, tzinfo=GENEVA),
        all_day=True,
        source_note="OHCHR programme of work",
    )
    entries = _by_kind(selectors.deadlines_for_state("USA"), 53)
    assert entries[K.WG_ADOPTION].local_date == date(2026, 11, 9)  # Sunday 8 → Monday 9
    assert entries[K.MIDTERM_WINDOW_OPEN].local_date == date(2028, 11, 5)


def test_cancelled_deadlines_are_never_next(world) -> None:
    DeadlineFactory(
        review=world.usa53,
        kind=K.HRC_ADOPTION,
        due=datetime(2027, 3, 15, tzinfo=GENEVA),
        all_day=True,
        cancelled=True,
    )
    with time_machine.travel(utc(2026, 11, 26, 12), tick=False):
        nxt = selectors.next_deadline("USA")
    assert nxt.kind == K.MIDTERM_WINDOW_OPEN


def test_upcoming_only_and_next_deadline_at_a_frozen_time(world) -> None:
    with time_machine.travel(utc(2026, 6, 20, 10), tick=False):
        upcoming = selectors.deadlines_for_state("HTI", include_past=False)
        nxt = selectors.next_deadline("HTI")
        now = datetime.now(UTC)
    assert nxt == upcoming[0]
    assert nxt.kind == K.STAKEHOLDER_SUBMISSION
    assert nxt.days_left(now) == 5
    assert nxt.countdown(now).text == "5 days and 11 hours"
    assert [e.due for e in upcoming] == sorted(e.due for e in upcoming)


def test_an_all_day_date_stays_upcoming_until_its_day_ends(world) -> None:
    review = _by_kind(selectors.deadlines_for_state("USA"), 50)[K.REVIEW]
    # 7 November 2025 in Geneva (CET) runs from 6 Nov 23:00 UTC to 7 Nov 23:00 UTC.
    assert review.is_upcoming(utc(2025, 11, 7, 22, 59))
    assert not review.is_upcoming(utc(2025, 11, 7, 23, 0))
    assert review.ends_at == datetime(2025, 11, 8, tzinfo=GENEVA)
    assert review.days_left(utc(2025, 11, 6, 23, 30)) == 0  # already the 7th in Geneva


def test_a_span_ends_after_its_last_day(world) -> None:
    review = _by_kind(selectors.deadlines_for_state("HTI"), 54)[K.REVIEW]
    assert review.end == date(2027, 2, 5)
    assert review.is_upcoming(utc(2027, 2, 5, 12))
    assert not review.is_upcoming(utc(2027, 2, 6, 0))


def test_timed_days_left_counts_whole_days() -> None:
    entry = selectors.DeadlineEntry(
        kind=K.STAKEHOLDER_SUBMISSION,
        session=54,
        due=datetime(2026, 6, 25, 23, 59, tzinfo=GENEVA),
        all_day=False,
        time_zone="Europe/Zurich",
        is_estimated=False,
        scope=Scope.SESSION,
    )
    due_utc = entry.due.astimezone(UTC)
    assert entry.days_left(due_utc - timedelta(days=1, minutes=1)) == 1
    assert entry.days_left(due_utc - timedelta(hours=23)) == 0
    assert entry.days_left(due_utc + timedelta(minutes=1)) == -1
    assert entry.countdown(due_utc - timedelta(minutes=5)).text == "5 minutes"
    assert entry.countdown(due_utc + timedelta(minutes=5)).text == "now"


def test_unknown_state_raises(db) -> None:
    with pytest.raises(State.DoesNotExist):
        selectors.deadlines_for_state("XXX")
    assert selectors.state_calendar("XXX") is None


def test_keys_and_uids_are_stable_when_an_estimate_is_stored(world) -> None:
    before = _by_kind(selectors.deadlines_for_state("HTI"), 54)[K.STAKEHOLDER_SUBMISSION]
    DeadlineFactory(session=world.s54, due=datetime(2026, 6, 15, 23, 59, tzinfo=GENEVA))
    after = _by_kind(selectors.deadlines_for_state("HTI"), 54)[K.STAKEHOLDER_SUBMISSION]
    assert before.uid == after.uid == "deadline-hti-54-stakeholder_submission@uprhub"


def test_state_calendar_query_budget(world, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        cal = selectors.state_calendar("USA", utc(2026, 11, 26, 12))
    assert cal.next.session == 53
    assert cal.next_review == world.usa53


def test_whole_calendar_query_budget(world, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        cal = selectors.whole_calendar(utc(2026, 11, 26, 12))
    # 64 and 68: the next cycle's sessions, estimated from the review order (50 + 14, 54 + 14).
    assert [r.session.number for r in cal.upcoming_sessions] == [54, 64, 68]
    assert [r.session.number for r in cal.earlier_sessions] == [53, 50]
    assert {r.state.code for r in cal.upcoming_sessions[0].reviews} == {"HTI", "ISL"}
    assert {r.state.code for r in cal.upcoming_sessions[2].reviews} == {"HTI", "ISL"}
    assert cal.upcoming_sessions[2].session.is_projected
    assert all(not e.state_code for e in cal.upcoming_deadlines)


def test_set_deadline_reads_through_selectors(world) -> None:
    """The reads the "set a date" page makes (they were ORM calls in the view)."""
    assert selectors.session_by_number(54) == world.s54
    assert selectors.session_by_number(999) is None
    assert selectors.review_in_session("hti", world.s54) == world.hti54
    assert selectors.review_in_session("USA", world.s54) is None
    assert (
        selectors.stored_deadline(K.STAKEHOLDER_SUBMISSION, session=world.s54, review=None) is None
    )
    whole = DeadlineFactory(session=world.s54, due=datetime(2026, 6, 15, 23, 59, tzinfo=GENEVA))
    haiti = DeadlineFactory(review=world.hti54, due=datetime(2026, 7, 1, 23, 59, tzinfo=GENEVA))
    kind = K.STAKEHOLDER_SUBMISSION
    assert selectors.stored_deadline(kind, session=world.s54, review=None) == whole
    assert selectors.stored_deadline(kind, session=world.s54, review=world.hti54) == haiti
    assert selectors.stored_deadline(kind, session=world.s54, review=world.isl54) is None
    assert selectors.stored_deadline(K.NATIONAL_REPORT, session=world.s54, review=None) is None
