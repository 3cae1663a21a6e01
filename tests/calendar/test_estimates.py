"""The estimate rules, one kind at a time, and Geneva's time zone in winter and summer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from uprhub.calendar.estimates import add_months, estimate, geneva_end_of_day
from uprhub.calendar.models import DeadlineKind as K


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 2), -7, date(2026, 4, 2)),
        (date(2027, 1, 25), -7, date(2026, 6, 25)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),  # clamped to the month's last day
        (date(2025, 11, 7), 24, date(2027, 11, 7)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_geneva_end_of_day_in_winter_is_2259_utc() -> None:
    due = geneva_end_of_day(date(2026, 1, 15))  # CET, UTC+1
    assert due.astimezone(UTC) == datetime(2026, 1, 15, 22, 59, tzinfo=UTC)
    assert due.utcoffset().total_seconds() == 3600


def test_geneva_end_of_day_in_summer_is_2159_utc() -> None:
    due = geneva_end_of_day(date(2024, 4, 8))  # CEST, UTC+2 (UPR 47's deadline)
    assert due.astimezone(UTC) == datetime(2024, 4, 8, 21, 59, tzinfo=UTC)
    assert due.utcoffset().total_seconds() == 7200


def test_geneva_end_of_day_on_the_days_summer_time_starts_and_ends() -> None:
    # 29 March 2026 and 25 October 2026 are the change-over Sundays: 23:59 is unambiguous.
    assert geneva_end_of_day(date(2026, 3, 29)).astimezone(UTC).hour == 21
    assert geneva_end_of_day(date(2026, 10, 25)).astimezone(UTC).hour == 22


def _est(kind: str, start: date | None, end: date | None, review: date | None = None):
    return estimate(kind, session_start=start, session_end=end, review_date=review)


def test_stakeholder_submission_is_seven_months_before_at_2359_geneva() -> None:
    guess = _est(K.STAKEHOLDER_SUBMISSION, date(2027, 1, 25), date(2027, 2, 5))
    assert not guess.all_day
    local = guess.due.astimezone(guess.due.tzinfo)
    assert (local.date(), local.hour, local.minute) == (date(2026, 6, 25), 23, 59)
    assert guess.due.astimezone(UTC) == datetime(2026, 6, 25, 21, 59, tzinfo=UTC)


def test_stakeholder_estimate_on_a_weekend_moves_to_the_friday_before() -> None:
    # UPR 52 opens Monday 4 May 2026; seven months before is Saturday 4 October 2025.
    guess = _est(K.STAKEHOLDER_SUBMISSION, date(2026, 5, 4), date(2026, 5, 15))
    assert guess.due.date() == date(2025, 10, 3)


@pytest.mark.parametrize(
    ("start", "published"),
    [
        (date(2022, 11, 7), date(2022, 3, 31)),  # UPR 41
        (date(2023, 1, 23), date(2022, 7, 14)),  # UPR 42
        (date(2023, 5, 1), date(2022, 10, 11)),  # UPR 43
        (date(2023, 11, 6), date(2023, 4, 5)),  # UPR 44
        (date(2024, 11, 4), date(2024, 4, 8)),  # UPR 47
    ],
)
def test_stakeholder_estimate_is_close_to_published_deadlines(start: date, published: date) -> None:
    guess = _est(K.STAKEHOLDER_SUBMISSION, start, None).due.date()
    # Within a month of what OHCHR published for the 4th-cycle sessions.
    assert abs((guess - published).days) <= 31


def test_stakeholder_estimate_errs_early_for_recent_sessions() -> None:
    # UPR 47: published 8 April 2024, the estimate is a few days before it.
    guess = _est(K.STAKEHOLDER_SUBMISSION, date(2024, 11, 4), date(2024, 11, 15)).due.date()
    assert date(2024, 3, 25) <= guess <= date(2024, 4, 8)


def test_national_report_is_twelve_weeks_before() -> None:
    guess = _est(K.NATIONAL_REPORT, date(2026, 11, 2), date(2026, 11, 13))
    assert guess.due.date() == date(2026, 8, 10)
    assert guess.due.hour == 23 and not guess.all_day


def test_review_uses_the_recorded_day_else_the_whole_session() -> None:
    known = _est(K.REVIEW, date(2025, 11, 3), date(2025, 11, 14), date(2025, 11, 7))
    assert known.all_day and known.due.date() == date(2025, 11, 7) and known.end is None
    unknown = _est(K.REVIEW, date(2026, 11, 2), date(2026, 11, 13))
    assert unknown.due.date() == date(2026, 11, 2) and unknown.end == date(2026, 11, 13)


def test_wg_adoption_is_three_days_later_past_the_weekend_within_the_session() -> None:
    # US 2020: dialogue Monday 9 Nov → Thursday 12 Nov (adopted on the 13th in reality).
    assert _est(
        K.WG_ADOPTION, date(2020, 11, 2), date(2020, 11, 13), date(2020, 11, 9)
    ).due.date() == date(2020, 11, 12)  # noqa: E501
    # Dialogue Thursday 5 Nov → Sunday 8 → moved to Monday 9.
    assert _est(
        K.WG_ADOPTION, date(2020, 11, 2), date(2020, 11, 13), date(2020, 11, 5)
    ).due.date() == date(2020, 11, 9)  # noqa: E501
    # Dialogue on the session's penultimate day → capped at its last day.
    assert _est(
        K.WG_ADOPTION, date(2020, 11, 2), date(2020, 11, 13), date(2020, 11, 12)
    ).due.date() == date(2020, 11, 13)  # noqa: E501
    # No dialogue day → the session's last day.
    assert _est(K.WG_ADOPTION, date(2020, 11, 2), date(2020, 11, 13)).due.date() == date(
        2020, 11, 13
    )  # noqa: E501


def test_hrc_adoption_is_four_months_after_the_session_on_a_weekday() -> None:
    guess = _est(K.HRC_ADOPTION, date(2020, 11, 2), date(2020, 11, 13), date(2020, 11, 9))
    assert guess.all_day and guess.due.date() == date(2021, 3, 15)  # 13 March 2021 is a Saturday
    # Close to the real adoption of the US outcome (17 March 2021).
    assert abs((guess.due.date() - date(2021, 3, 17)).days) <= 14


def test_midterm_window_is_two_to_two_and_a_half_years_after_the_review() -> None:
    opens = _est(K.MIDTERM_WINDOW_OPEN, date(2020, 11, 2), date(2020, 11, 13), date(2020, 11, 9))
    closes = _est(K.MIDTERM_WINDOW_CLOSE, date(2020, 11, 2), date(2020, 11, 13), date(2020, 11, 9))
    assert opens.due.date() == date(2022, 11, 9)
    assert closes.due.date() == date(2023, 5, 9)


def test_no_estimate_without_dates() -> None:
    for kind in K.values:
        assert _est(kind, None, None) is None


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown deadline kind"):
        _est("party", date(2026, 1, 1), date(2026, 1, 12))
