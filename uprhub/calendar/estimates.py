"""Estimated deadlines, computed from the session dates when OHCHR has published none.

Pure functions, no database: they take the session's first and last day and, when known, the
day of the State's interactive dialogue. Every estimate is shown as such; a stored date always
replaces it. The rules, one per kind (also in `RULES`, shown to users):

stakeholder_submission
    Seven calendar months before the session opens (a weekend moves to the Friday before), at
    23:59 Geneva time. The 4th-cycle
    deadlines OHCHR published sit 6.3–7.3 months ahead (UPR 41: 31 Mar 2022 for 7 Nov 2022;
    UPR 42: 14 Jul 2022 for 23 Jan 2023; UPR 43: 11 Oct 2022 for 1 May 2023; UPR 44: 5 Apr 2023
    for 6 Nov 2023; UPR 47: 8 Apr 2024 for 4 Nov 2024). We take the early side of that spread on
    purpose: an estimate that is too early costs a few days, one that is too late costs the
    submission.
national_report
    Twelve weeks before the session opens, 23:59 Geneva time (OHCHR asks States for their
    report twelve weeks ahead); a weekend moves to the Friday before.
review
    The recorded day of the interactive dialogue; when unknown, the whole session (estimated).
wg_adoption
    Three days after the dialogue, moved past a weekend and never after the session's last day
    (the Working Group adopts each report at least 48 hours after the dialogue); when the
    dialogue day is unknown, the session's last day.
hrc_adoption
    Four months after the session's last day, moved past a weekend: the Council's next regular
    session (March, June or September) adopts the outcome, in practice 4–4.5 months after the
    Working Group (US: 18 Mar 2011, 24 Sep 2015, 17 Mar 2021).
midterm_window_open / midterm_window_close
    Two and two and a half years after the dialogue (or the session's first day): when States
    and civil society are encouraged to report on implementation.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from .models import GENEVA_TZ, DeadlineKind

GENEVA = ZoneInfo(GENEVA_TZ)
#: OHCHR's submission systems close at 23:59 Geneva time.
END_OF_DAY = time(23, 59)

STAKEHOLDER_MONTHS_BEFORE = 7
NATIONAL_REPORT_WEEKS_BEFORE = 12
WG_ADOPTION_DAYS_AFTER = 3
HRC_ADOPTION_MONTHS_AFTER = 4
MIDTERM_OPEN_MONTHS_AFTER = 24
MIDTERM_CLOSE_MONTHS_AFTER = 30

#: How each kind is estimated, in words a user can check (shown next to "estimated").
RULES: dict[str, object] = {
    DeadlineKind.STAKEHOLDER_SUBMISSION: _(
        "Estimated as seven months before the session opens, 23:59 Geneva time. "
        "OHCHR publishes the real date on its UPR pages; it is often earlier or later."
    ),
    DeadlineKind.NATIONAL_REPORT: _("Estimated as twelve weeks before the session opens."),
    DeadlineKind.REVIEW: _(
        "The day of the dialogue is not yet known: it will be one of the session's days."
    ),
    DeadlineKind.WG_ADOPTION: _("Estimated as a few days after the dialogue, within the session."),
    DeadlineKind.HRC_ADOPTION: _(
        "Estimated as four months after the session: the Council adopts the outcome at its "
        "next regular session."
    ),
    DeadlineKind.MIDTERM_WINDOW_OPEN: _("Estimated as two years after the review."),
    DeadlineKind.MIDTERM_WINDOW_CLOSE: _("Estimated as two and a half years after the review."),
}


@dataclass(frozen=True)
class Estimate:
    """An estimated moment; `end` is set when the estimate is a span of days (a session)."""

    due: datetime
    all_day: bool
    end: date | None = None


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's end (31 Mar − 1 → 28 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def local_moment(day: date, at: time = time(0, 0), tz: str = GENEVA_TZ) -> datetime:
    """The aware datetime of a wall-clock time on `day` in `tz` (Geneva by default)."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(tz))


def geneva_end_of_day(day: date) -> datetime:
    """23:59 Geneva time on `day`: 22:59 UTC in winter (CET), 21:59 UTC in summer (CEST)."""
    return local_moment(day, END_OF_DAY)


def _after_weekend(day: date) -> date:
    while day.weekday() >= 5:  # UN bodies in Geneva do not meet on Saturdays and Sundays
        day += timedelta(days=1)
    return day


def _before_weekend(day: date) -> date:
    # A submission deadline estimated on a weekend moves to the Friday before: earlier is safer.
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def estimate(
    kind: str,
    *,
    session_start: date | None,
    session_end: date | None,
    review_date: date | None = None,
) -> Estimate | None:
    """Estimate one kind of deadline, or None when the dates it depends on are unknown."""
    if session_end is None and session_start is not None:
        session_end = session_start + timedelta(days=11)  # sessions last two weeks
    anchor = review_date or session_start

    match kind:
        case DeadlineKind.STAKEHOLDER_SUBMISSION:
            if session_start is None:
                return None
            day = _before_weekend(add_months(session_start, -STAKEHOLDER_MONTHS_BEFORE))
            return Estimate(geneva_end_of_day(day), all_day=False)
        case DeadlineKind.NATIONAL_REPORT:
            if session_start is None:
                return None
            day = _before_weekend(session_start - timedelta(weeks=NATIONAL_REPORT_WEEKS_BEFORE))
            return Estimate(geneva_end_of_day(day), all_day=False)
        case DeadlineKind.REVIEW:
            if review_date is not None:
                return Estimate(local_moment(review_date), all_day=True)
            if session_start is None:
                return None
            return Estimate(local_moment(session_start), all_day=True, end=session_end)
        case DeadlineKind.WG_ADOPTION:
            if review_date is None:
                if session_end is None:
                    return None
                return Estimate(local_moment(session_end), all_day=True)
            day = _after_weekend(review_date + timedelta(days=WG_ADOPTION_DAYS_AFTER))
            if session_end is not None and session_end >= review_date:
                day = min(day, session_end)
            return Estimate(local_moment(day), all_day=True)
        case DeadlineKind.HRC_ADOPTION:
            base = session_end or review_date
            if base is None:
                return None
            day = _after_weekend(add_months(base, HRC_ADOPTION_MONTHS_AFTER))
            return Estimate(local_moment(day), all_day=True)
        case DeadlineKind.MIDTERM_WINDOW_OPEN | DeadlineKind.MIDTERM_WINDOW_CLOSE:
            if anchor is None:
                return None
            months = (
                MIDTERM_OPEN_MONTHS_AFTER
                if kind == DeadlineKind.MIDTERM_WINDOW_OPEN
                else MIDTERM_CLOSE_MONTHS_AFTER
            )
            return Estimate(local_moment(add_months(anchor, months)), all_day=True)
    raise ValueError(f"unknown deadline kind {kind!r}")
