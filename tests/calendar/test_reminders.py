"""`reminders_due(now)`: which (deadline, days before) pairs are due at a frozen time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from uprhub.calendar.models import DeadlineKind as K
from uprhub.calendar.reminders import reminder_key, reminders_due

from .factories import DeadlineFactory, utc

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")


@pytest.fixture
def upr54_deadline(world):
    # 25 June 2026 at 23:59 Geneva (CEST) = 21:59 UTC.
    return DeadlineFactory(session=world.s54, due=datetime(2026, 6, 25, 23, 59, tzinfo=GENEVA))


def _pairs(now: datetime, **kwargs) -> set[tuple[str, str, int]]:
    return {(e.state_code, e.kind, days) for e, days in reminders_due(now, **kwargs)}


def test_seven_days_before_for_every_state_of_the_session(upr54_deadline) -> None:
    moment = utc(2026, 6, 18, 21, 59)
    assert _pairs(moment + timedelta(minutes=30), kinds=[K.STAKEHOLDER_SUBMISSION]) == {
        ("HTI", K.STAKEHOLDER_SUBMISSION, 7),
        ("ISL", K.STAKEHOLDER_SUBMISSION, 7),
    }


def test_not_before_the_moment_nor_after_the_window(upr54_deadline) -> None:
    kinds = [K.STAKEHOLDER_SUBMISSION]
    assert _pairs(utc(2026, 6, 18, 21, 58), kinds=kinds) == set()
    assert _pairs(utc(2026, 6, 18, 21, 59), kinds=kinds)  # the moment itself counts
    assert _pairs(utc(2026, 6, 19, 21, 59), kinds=kinds) == set()  # a day late: skipped


def test_each_default_offset(upr54_deadline) -> None:
    due = upr54_deadline.due
    for days in (60, 30, 7, 1):
        now = due - timedelta(days=days) + timedelta(hours=1)
        found = {d for e, d in reminders_due(now) if e.kind == K.STAKEHOLDER_SUBMISSION}
        assert found == {days}


def test_custom_days_and_window(upr54_deadline) -> None:
    now = upr54_deadline.due - timedelta(days=14) + timedelta(hours=30)
    assert _pairs(now, days=(14,), kinds=[K.STAKEHOLDER_SUBMISSION]) == set()
    assert _pairs(now, days=(14,), window=timedelta(days=2), kinds=[K.STAKEHOLDER_SUBMISSION])


def test_reminders_count_wall_clock_days_across_summer_time(world) -> None:
    # Deadline in winter time (CET), reminder 60 days earlier in summer time (CEST):
    # 23:59 Geneva on 3 September is 21:59 UTC, not 22:59.
    DeadlineFactory(
        review=world.usa53,
        kind=K.NATIONAL_REPORT,
        due=datetime(2026, 11, 2, 23, 59, tzinfo=GENEVA),
    )
    assert ("USA", K.NATIONAL_REPORT, 60) in _pairs(utc(2026, 9, 3, 22, 0))
    assert ("USA", K.NATIONAL_REPORT, 60) not in _pairs(utc(2026, 9, 3, 21, 58))


def test_cancelled_and_past_deadlines_get_no_reminder(world) -> None:
    DeadlineFactory(
        review=world.usa53,
        kind=K.HRC_ADOPTION,
        due=datetime(2027, 3, 15, tzinfo=GENEVA),
        all_day=True,
        cancelled=True,
    )
    now = datetime(2027, 3, 8, tzinfo=GENEVA).astimezone(UTC) + timedelta(hours=1)
    assert ("USA", K.HRC_ADOPTION, 7) not in _pairs(now)
    assert all(entry.due > now for entry, _ in reminders_due(now))


def test_estimated_deadlines_are_reminded_and_flagged(world) -> None:
    # HRC adoption for UPR 53 is estimated at Monday 15 March 2027 (all day, midnight CET).
    now = datetime(2027, 3, 14, tzinfo=GENEVA).astimezone(UTC) + timedelta(minutes=1)
    due = [(e, d) for e, d in reminders_due(now) if e.kind == K.HRC_ADOPTION]
    assert [(e.state_code, d) for e, d in due] == [("USA", 1)]
    assert due[0][0].is_estimated
    assert reminder_key(*due[0]) == "usa-53-hrc_adoption:1"


def test_default_now_is_the_current_time(upr54_deadline) -> None:
    with time_machine.travel(utc(2026, 6, 24, 22, 30), tick=False):
        assert ("HTI", K.STAKEHOLDER_SUBMISSION, 1) in {
            (e.state_code, e.kind, d) for e, d in reminders_due()
        }


def test_query_budget(upr54_deadline, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(2):
        reminders_due(utc(2026, 6, 18, 22, 30))


def test_no_days_means_no_reminders(upr54_deadline) -> None:
    assert reminders_due(utc(2026, 6, 18, 22, 30), days=()) == []
