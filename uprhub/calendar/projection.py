"""Estimated reviews of the next cycles, for States whose next review is not yet scheduled.

OHCHR publishes a cycle's calendar only shortly before the cycle starts, so without an estimate
most States would have no upcoming stakeholder deadline at all. Two facts make a fair guess:

* the order of review repeats from cycle to cycle: a cycle has fourteen Working Group sessions
  and the State reviewed at session N is reviewed again at session N + 14 (checked on cycles 2–4,
  with rare exceptions such as Haiti, postponed in 2010);
* start to start, cycles are five years apart: fourteen sessions at three a year, then one
  session slot left empty before the next cycle (early 2012, early 2017, spring 2022). The
  2nd, 3rd and 4th US reviews were five years apart (May 2015, May 2020 as first planned,
  November 2025). OHCHR's "four-and-a-half year period" is about the time the fourteen
  sessions take; adding 4.5 years instead would put UPR 55 in May 2027 with its stakeholder
  deadline in October 2026, so the States of UPR 41 (Brazil, India…) would be shown that
  deadline as already closed and their next one in 2031.

A State's place in the order is its first review in its latest cycle: a review rescheduled within
a cycle (the United States, UPR 50 → 53) keeps the State's place, as Sudan's did (UPR 39 → 40 in
the 3rd cycle, back at 53 = 39 + 14 in the 4th) — and the earlier place is the safer guess.

When the calendar already has the projected session (its dates loaded, its States not yet), its
dates are used; when the session's list of States is loaded, the State has a real review and no
projection is made. Pure functions, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext

from .estimates import add_months

if TYPE_CHECKING:
    from uprhub.reviews.models import Review, Session, State

#: Working Group sessions per cycle: the order of review repeats every fourteen sessions.
SESSIONS_PER_CYCLE = 14
#: Start to start, between a State's reviews (see above).
CYCLE_MONTHS = 60
#: How many cycles ahead we look for a future stakeholder deadline before giving up.
MAX_CYCLES_AHEAD = 4
#: A session lasts two weeks: Monday of the first to Friday of the second.
SESSION_DAYS = 11


@dataclass(frozen=True)
class ProjectedSession:
    """A Working Group session expected from the review order, shaped like `Session` for the
    pages (`number`, `cycle_id`, `start_date`, `end_date`)."""

    number: int
    cycle_id: int
    start_date: date
    end_date: date
    basis_number: int
    basis_cycle: int
    basis_start: date
    cycles_ahead: int
    #: The calendar has this session (dates loaded) but not yet the States it reviews.
    dates_from_calendar: bool = False
    is_projected: bool = field(default=True, init=False)

    @property
    def explanation(self) -> str:
        """How the session was estimated, in a sentence a user can check."""
        values = {
            "cycle": self.basis_cycle,
            "basis": self.basis_number,
            "month": date_format(self.basis_start, "F Y"),
            "years": number_format(Decimal(CYCLE_MONTHS * self.cycles_ahead) / 12),
            "sessions": SESSIONS_PER_CYCLE * self.cycles_ahead,
        }
        if self.dates_from_calendar:
            return (
                gettext(
                    "Estimated: same position in the review order as in cycle %(cycle)s "
                    "(UPR %(basis)s, %(month)s), %(sessions)s sessions later; the session's dates "
                    "are those of the calendar."
                )
                % values
            )
        return (
            gettext(
                "Estimated: same position in the review order as in cycle %(cycle)s "
                "(UPR %(basis)s, %(month)s) plus %(years)s years, the time between earlier "
                "cycles."
            )
            % values
        )

    @property
    def dates_note(self) -> str:
        return self.explanation


@dataclass(frozen=True)
class ProjectedReview:
    """A State's expected review at a projected session, shaped like `Review` for the pages."""

    state: State
    session: ProjectedSession
    pk: None = None
    review_date: None = None
    is_projected: bool = field(default=True, init=False)

    @property
    def session_id(self) -> int:
        return self.session.number

    @property
    def note(self) -> str:
        return self.session.explanation


def _previous_monday(day: date) -> date:
    # Sessions open on a Monday; earlier rather than later, as everywhere in the estimates.
    return day - timedelta(days=day.weekday())


def basis_review(reviews: list[Review]) -> Review | None:
    """The review that gives a State its place in the order: its first in its latest cycle.

    `reviews` are the State's reviews with their sessions loaded."""
    dated = [r for r in reviews if r.session.start_date is not None]
    if not dated:
        return None
    latest_cycle = max(r.session.cycle_id for r in dated)
    return min((r for r in dated if r.session.cycle_id == latest_cycle), key=lambda r: r.session_id)


def candidate_numbers(basis: Review) -> list[int]:
    """The session numbers a State's next reviews are expected at, nearest first."""
    return [
        basis.session_id + SESSIONS_PER_CYCLE * ahead for ahead in range(1, MAX_CYCLES_AHEAD + 1)
    ]


def project_session(
    basis: Session, cycles_ahead: int, calendar: dict[int, Session]
) -> ProjectedSession:
    """The session `cycles_ahead` cycles after `basis`; its dates from `calendar` (sessions by
    number) when loaded there, else five years per cycle after the basis session."""
    number = basis.number + SESSIONS_PER_CYCLE * cycles_ahead
    assert basis.start_date is not None  # basis_review() only picks dated sessions
    known = calendar.get(number)
    if known is not None and known.start_date is not None:
        start = known.start_date
        end = known.end_date or start + timedelta(days=SESSION_DAYS)
        from_calendar = True
    else:
        start = _previous_monday(add_months(basis.start_date, CYCLE_MONTHS * cycles_ahead))
        end = start + timedelta(days=SESSION_DAYS)
        from_calendar = False
    return ProjectedSession(
        number=number,
        cycle_id=basis.cycle_id + cycles_ahead,
        start_date=start,
        end_date=end,
        basis_number=basis.number,
        basis_cycle=basis.cycle_id,
        basis_start=basis.start_date,
        cycles_ahead=cycles_ahead,
        dates_from_calendar=from_calendar,
    )
