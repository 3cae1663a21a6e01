"""Reads for the calendar: every deadline of a State or a session, stored or estimated.

The one rule, applied everywhere (pages, feeds, CLI, reminders): for each review and kind, a
stored row for that review wins, then a stored row for its whole session, then the estimate
from `estimates.py`. Each function runs a fixed, small number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from uprhub.core.translations import sorted_by_name
from uprhub.reviews.countries import state_name
from uprhub.reviews.models import Review, Session, State
from uprhub.reviews.notes import translated_note

from . import estimates, projection
from .guidance import GUIDANCE
from .models import KIND_ORDER, Deadline, DeadlineKind
from .projection import ProjectedReview, ProjectedSession

#: Kinds that OHCHR sets for a whole session; the others usually differ from State to State.
SESSION_WIDE_KINDS = frozenset({DeadlineKind.STAKEHOLDER_SUBMISSION, DeadlineKind.NATIONAL_REPORT})

#: Kinds by which something must be sent: once past, they are shown as "closed on …".
CLOSING_KINDS = frozenset(
    {
        DeadlineKind.STAKEHOLDER_SUBMISSION,
        DeadlineKind.NATIONAL_REPORT,
        DeadlineKind.MIDTERM_WINDOW_CLOSE,
    }
)

_KIND_LABELS = dict(DeadlineKind.choices)


class Scope:
    """Where an entry's date comes from."""

    REVIEW = "review"  # a stored row for this State's review
    SESSION = "session"  # a stored row for the whole session
    RECORD = "record"  # the review's recorded dialogue day (reviews app)
    ESTIMATE = "estimate"  # computed by estimates.estimate()


@dataclass(frozen=True)
class Countdown:
    days: int
    hours: int
    minutes: int
    total_seconds: int

    @property
    def text(self) -> str:
        """ "12 days and 5 hours", "5 hours and 3 minutes" — the two largest units."""
        days = ngettext("%(n)d day", "%(n)d days", self.days) % {"n": self.days}
        hours = ngettext("%(n)d hour", "%(n)d hours", self.hours) % {"n": self.hours}
        minutes = ngettext("%(n)d minute", "%(n)d minutes", self.minutes) % {"n": self.minutes}
        if self.days:
            first, second = days, hours
        elif self.hours:
            first, second = hours, minutes
        elif self.total_seconds:
            return minutes
        else:
            return gettext("now")
        return gettext("%(first)s and %(second)s") % {"first": first, "second": second}


@dataclass(frozen=True)
class DeadlineEntry:
    """One deadline as the pages, feeds, CLI and reminders see it, stored or estimated."""

    kind: str
    session: int
    due: datetime
    all_day: bool
    time_zone: str
    is_estimated: bool
    scope: str
    cancelled: bool = False
    source_note: str = ""
    # Empty for a session-wide entry of the whole calendar.
    state_code: str = ""
    state_name: str = ""
    # Last day of a span (an estimated review "some day of the session").
    end: date | None = None
    deadline_id: int | None = None
    version: int | None = None
    updated_at: datetime | None = None
    # Set when the review itself is estimated (see projection.py): how it was estimated.
    projection: str = ""

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self.kind])

    @property
    def display_state_name(self) -> str:
        """The State's name in the active language (``state_name`` stays English)."""
        return state_name(self.state_code, self.state_name)

    @property
    def display_source_note(self) -> str:
        """The source note in the active language when the bundled data has it translated."""
        return translated_note(self.source_note)

    @property
    def key(self) -> str:
        """Identity that survives an estimate being replaced by a stored date (UIDs, reminders)."""
        return f"{(self.state_code or 'all').lower()}-{self.session}-{self.kind}"

    @property
    def uid(self) -> str:
        return f"deadline-{self.key}@uprhub"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_due(self) -> datetime:
        return self.due.astimezone(self.tz)

    @property
    def local_date(self) -> date:
        return self.local_due.date()

    @property
    def ends_at(self) -> datetime:
        """When the entry is over: the deadline itself, or the end of its (last) day."""
        if not self.all_day:
            return self.due
        last = self.end or self.local_date
        return datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=self.tz)

    @property
    def rule(self) -> str:
        """How the date was estimated: the review's session, then the date within it."""
        kind_rule = str(estimates.RULES[self.kind]) if self.scope == Scope.ESTIMATE else ""
        return " ".join(part for part in (self.projection, kind_rule) if part)

    @property
    def is_projected(self) -> bool:
        """Whether the review this date belongs to is itself an estimate (a later cycle)."""
        return bool(self.projection)

    @property
    def is_deadline(self) -> bool:
        """Whether something must be sent by then (a past one "closed"), not an event."""
        return self.kind in CLOSING_KINDS

    @property
    def guidance(self) -> list[str]:
        return [str(step) for step in GUIDANCE.get(self.kind, ())]

    @property
    def set_for_session(self) -> bool:
        """Whether a coordinator replacing this estimate sets it for the whole session."""
        return not self.state_code or self.kind in SESSION_WIDE_KINDS

    def is_upcoming(self, now: datetime) -> bool:
        return not self.cancelled and self.ends_at > now

    def days_left(self, now: datetime) -> int:
        """Whole days until the deadline starts, as the countdown shows them; 0 while an
        all-day date or span is under way, negative once it is over."""
        if self.due <= now < self.ends_at:
            return 0
        return (self.due - now) // timedelta(days=1)

    def countdown(self, now: datetime) -> Countdown:
        seconds = max(0, int((self.due - now).total_seconds()))
        days, rest = divmod(seconds, 86400)
        return Countdown(
            days=days, hours=rest // 3600, minutes=rest % 3600 // 60, total_seconds=seconds
        )


def _sort_key(entry: DeadlineEntry) -> tuple:
    return (entry.due, KIND_ORDER[entry.kind], entry.state_name, entry.session)


def _from_stored(row: Deadline, scope: str, **identity: object) -> DeadlineEntry:
    return DeadlineEntry(
        kind=row.kind,
        due=row.due,
        all_day=row.all_day,
        time_zone=row.time_zone,
        is_estimated=row.is_estimated,
        cancelled=row.cancelled,
        source_note=row.source_note,
        scope=scope,
        deadline_id=row.pk,
        version=row.version,
        updated_at=row.updated_at,
        **identity,  # type: ignore[arg-type]
    )


@dataclass
class _Stored:
    by_session: dict[tuple[int, str], Deadline] = field(default_factory=dict)
    # Keyed by review id; an estimated review (no id) finds nothing here.
    by_review: dict[tuple[int | None, str], Deadline] = field(default_factory=dict)


def _load_stored(session_numbers: Iterable[int], review_ids: Iterable[int]) -> _Stored:
    stored = _Stored()
    condition = Q(review__isnull=True, session_id__in=list(session_numbers))
    review_ids = list(review_ids)
    if review_ids:
        condition |= Q(review_id__in=review_ids)
    for row in Deadline.objects.filter(condition):
        if row.review_id:
            stored.by_review[(row.review_id, row.kind)] = row
        elif row.session_id is not None:  # a row is for a review or for a whole session
            stored.by_session[(row.session_id, row.kind)] = row
    return stored


def _review_entries(review: Review | ProjectedReview, stored: _Stored) -> list[DeadlineEntry]:
    session = review.session
    identity = {
        "session": session.number,
        "state_code": review.state.code,
        "state_name": review.state.short_name,
    }
    # A coordinator's date for the dialogue beats the review record for the later estimates.
    review_row = stored.by_review.get((review.pk, DeadlineKind.REVIEW)) or stored.by_session.get(
        (session.number, DeadlineKind.REVIEW)
    )
    dialogue = review.review_date
    if review_row is not None:
        dialogue = review_row.due.astimezone(ZoneInfo(review_row.time_zone)).date()

    entries = []
    for kind in DeadlineKind.values:
        if row := stored.by_review.get((review.pk, kind)):
            entries.append(_from_stored(row, Scope.REVIEW, **identity))
            continue
        if row := stored.by_session.get((session.number, kind)):
            entries.append(_from_stored(row, Scope.SESSION, **identity))
            continue
        guess = estimates.estimate(
            kind,
            session_start=session.start_date,
            session_end=session.end_date,
            review_date=dialogue,
        )
        if guess is None:
            continue
        recorded = kind == DeadlineKind.REVIEW and review.review_date is not None
        entries.append(
            DeadlineEntry(
                kind=kind,
                due=guess.due,
                all_day=guess.all_day,
                end=guess.end,
                time_zone=estimates.GENEVA_TZ,
                is_estimated=not recorded,
                scope=Scope.RECORD if recorded else Scope.ESTIMATE,
                source_note=str(_("Date of the dialogue recorded for this review."))
                if recorded
                else "",
                **identity,  # type: ignore[arg-type]
            )
        )
    if isinstance(review, ProjectedReview):
        # Even a date OHCHR published for the session is only ours to show for this State
        # as long as its place in the session is a guess.
        note = review.note
        entries = [replace(e, is_estimated=True, projection=note) for e in entries]
    return entries


def entries_for_reviews(reviews: Iterable[Review]) -> list[DeadlineEntry]:
    """Every deadline of the given reviews (loaded with `state` and `session`), by date."""
    reviews = list(reviews)
    stored = _load_stored({r.session_id for r in reviews}, [r.pk for r in reviews])
    entries = [entry for review in reviews for entry in _review_entries(review, stored)]
    return sorted(entries, key=_sort_key)


def _is_open_submission(entry: DeadlineEntry, now: datetime) -> bool:
    return entry.kind == DeadlineKind.STAKEHOLDER_SUBMISSION and entry.is_upcoming(now)


def _with_projections(
    reviews: list[Review], now: datetime, calendar: dict[int, Session] | None = None
) -> tuple[list[DeadlineEntry], list[ProjectedReview]]:
    """The deadlines of `reviews` (with `state` and `session` loaded), plus the estimated next
    reviews of each of their States whose stakeholder deadlines are all over, one cycle after
    another until one is in the future (see projection.py). Two queries, one when `calendar`
    (the sessions by number) is given."""
    by_state: dict[int, list[Review]] = {}
    for review in reviews:
        by_state.setdefault(review.state_id, []).append(review)
    bases = [b for rs in by_state.values() if (b := projection.basis_review(rs)) is not None]
    candidates = {number for basis in bases for number in projection.candidate_numbers(basis)}
    if calendar is None:
        calendar = (
            {s.number: s for s in Session.objects.filter(number__in=candidates)}
            if candidates
            else {}
        )
    stored = _load_stored({r.session_id for r in reviews} | candidates, [r.pk for r in reviews])
    entries = [entry for review in reviews for entry in _review_entries(review, stored)]
    served = {e.state_code for e in entries if _is_open_submission(e, now)}
    projected: list[ProjectedReview] = []
    for basis in bases:
        if basis.state.code in served:
            continue
        for ahead in range(1, projection.MAX_CYCLES_AHEAD + 1):
            session = projection.project_session(basis.session, ahead, calendar)
            expected = ProjectedReview(state=basis.state, session=session)
            more = _review_entries(expected, stored)
            projected.append(expected)
            entries.extend(more)
            if any(_is_open_submission(e, now) for e in more):
                break
    return sorted(entries, key=_sort_key), projected


def entries_for_sessions(sessions: Iterable[Session | ProjectedSession]) -> list[DeadlineEntry]:
    """Session-wide deadlines (no State) of the given sessions, stored or estimated."""
    sessions = list(sessions)
    projected = {s.number: s for s in sessions if isinstance(s, ProjectedSession)}
    stored = _load_stored([s.number for s in sessions], [])
    entries = []
    for session in sessions:
        for kind in DeadlineKind.values:
            if row := stored.by_session.get((session.number, kind)):
                entries.append(_from_stored(row, Scope.SESSION, session=session.number))
                continue
            guess = estimates.estimate(
                kind, session_start=session.start_date, session_end=session.end_date
            )
            if guess is not None:
                entries.append(
                    DeadlineEntry(
                        kind=kind,
                        session=session.number,
                        due=guess.due,
                        all_day=guess.all_day,
                        end=guess.end,
                        time_zone=estimates.GENEVA_TZ,
                        is_estimated=True,
                        scope=Scope.ESTIMATE,
                    )
                )
    entries = [
        replace(e, is_estimated=True, projection=projected[e.session].explanation)
        if e.session in projected
        else e
        for e in entries
    ]
    return sorted(entries, key=_sort_key)


def review_not_held() -> Q:
    """A condition on reviews: the dialogue did not take place (a cancelled review date stored
    for the review, or for its whole session when the review has none of its own — the same
    precedence as every other entry). No estimate is needed, so no extra query."""
    own = Deadline.objects.filter(review=OuterRef("pk"), kind=DeadlineKind.REVIEW)
    session_wide = Deadline.objects.filter(
        review__isnull=True, session=OuterRef("session"), kind=DeadlineKind.REVIEW, cancelled=True
    )
    return Q(Exists(own.filter(cancelled=True))) | (~Q(Exists(own)) & Q(Exists(session_wide)))


def with_not_held(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """The reviews annotated ``not_held`` (see `review_not_held`), in the same query."""
    return reviews.annotate(
        not_held=ExpressionWrapper(review_not_held(), output_field=BooleanField())
    )


def find_state(code: str) -> State | None:
    return State.objects.filter(code=code.upper()).first()


def states_under_review() -> list[State]:
    """Reviewed States in the alphabetical order of the active language."""
    return sorted_by_name(State.objects.under_review())


def _state_reviews(state: State) -> list[Review]:
    return list(
        Review.objects.filter(state=state).select_related("state", "session").order_by("session")
    )


def deadlines_for_state(
    code: str, now: datetime | None = None, *, include_past: bool = True
) -> list[DeadlineEntry]:
    """All deadlines of a State's reviews by date, with its estimated next reviews when its
    stakeholder deadlines are all over at `now`; only those not yet over unless include_past.

    Raises State.DoesNotExist for an unknown code.
    """
    # The reviews bring their State along: a separate read only for a State without review.
    reviews = list(
        Review.objects.filter(state__code=code.upper())
        .select_related("state", "session")
        .order_by("session")
    )
    if not reviews and find_state(code) is None:
        raise State.DoesNotExist(code)
    now = now or timezone.now()
    entries, _projected = _with_projections(reviews, now)
    if include_past:
        return entries
    return [e for e in entries if e.is_upcoming(now)]


def next_deadline(code: str, now: datetime | None = None) -> DeadlineEntry | None:
    """The first deadline of a State that is not over and not cancelled, or None."""
    now = now or timezone.now()
    upcoming = deadlines_for_state(code, now, include_past=False)
    return upcoming[0] if upcoming else None


def next_stakeholder_deadline(code: str, now: datetime | None = None) -> DeadlineEntry | None:
    """A State's next stakeholder-submission deadline, published or estimated; None only for
    an unknown State or one with no review at all."""
    now = now or timezone.now()
    try:
        entries = deadlines_for_state(code, now, include_past=False)
    except State.DoesNotExist:
        return None
    return next((e for e in entries if e.kind == DeadlineKind.STAKEHOLDER_SUBMISSION), None)


def stakeholder_deadlines(code: str, now: datetime | None = None) -> SubmissionDeadlines:
    """The next stakeholder deadline of a State and the last one that closed."""
    now = now or timezone.now()
    try:
        entries = deadlines_for_state(code, now)
    except State.DoesNotExist:
        return SubmissionDeadlines(None, None, now)
    return SubmissionDeadlines.from_entries(entries, now)


@dataclass(frozen=True)
class SubmissionDeadlines:
    """When civil society must send its submission next, and when it last could."""

    next: DeadlineEntry | None
    last_closed: DeadlineEntry | None
    now: datetime

    @classmethod
    def from_entries(cls, entries: list[DeadlineEntry], now: datetime) -> SubmissionDeadlines:
        ours = [
            e for e in entries if e.kind == DeadlineKind.STAKEHOLDER_SUBMISSION and not e.cancelled
        ]
        upcoming = [e for e in ours if e.is_upcoming(now)]
        past = [e for e in ours if not e.is_upcoming(now)]
        return cls(upcoming[0] if upcoming else None, past[-1] if past else None, now)


@dataclass
class StateCalendar:
    """Everything the "What's next" page shows for one State."""

    state: State
    reviews: list[Review]
    upcoming: list[DeadlineEntry]
    past: list[DeadlineEntry]
    now: datetime
    projected: list[ProjectedReview] = field(default_factory=list)
    submissions: SubmissionDeadlines | None = None

    @property
    def next(self) -> DeadlineEntry | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def next_review(self) -> Review | ProjectedReview | None:
        """The review the upcoming deadlines belong to (latest review when all are past)."""
        if self.next is not None:
            known: list[Review | ProjectedReview] = [*self.reviews, *self.projected]
            return next((r for r in known if r.session_id == self.next.session), None)
        return self.reviews[-1] if self.reviews else None


def state_calendar(code: str, now: datetime | None = None) -> StateCalendar | None:
    now = now or timezone.now()
    state = find_state(code)
    if state is None:
        return None
    reviews = _state_reviews(state)
    entries, projected = _with_projections(reviews, now)
    upcoming = [e for e in entries if e.is_upcoming(now)]
    past = [e for e in reversed(entries) if not e.is_upcoming(now)]
    return StateCalendar(
        state=state,
        reviews=reviews,
        upcoming=upcoming,
        past=past,
        now=now,
        projected=projected,
        submissions=SubmissionDeadlines.from_entries(entries, now),
    )


@dataclass
class SessionRow:
    session: Session | ProjectedSession
    reviews: list[Review] | list[ProjectedReview]
    entries: list[DeadlineEntry]

    @property
    def stakeholder_deadline(self) -> DeadlineEntry | None:
        return next(
            (e for e in self.entries if e.kind == DeadlineKind.STAKEHOLDER_SUBMISSION), None
        )


@dataclass
class WholeCalendar:
    upcoming_sessions: list[SessionRow]
    earlier_sessions: list[SessionRow]
    upcoming_deadlines: list[DeadlineEntry]
    now: datetime


def whole_calendar(now: datetime | None = None, *, deadline_limit: int = 12) -> WholeCalendar:
    """Sessions (upcoming first) with the States they review, and the next session-wide dates."""
    now = now or timezone.now()
    today = now.astimezone(estimates.GENEVA).date()
    sessions = list(
        Session.objects.select_related("cycle")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("state").order_by("state__short_name"),
            )
        )
        .order_by("number")
    )
    projected = _projected_by_session(now, sessions)
    known = {s.number for s in sessions}
    extra = sorted(
        (reviews[0].session for number, reviews in projected.items() if number not in known),
        key=lambda s: s.number,
    )
    entries = entries_for_sessions([*sessions, *extra])
    by_session: dict[int, list[DeadlineEntry]] = {}
    for entry in entries:
        by_session.setdefault(entry.session, []).append(entry)
    rows = [
        SessionRow(
            s,
            list(s.reviews.all()) or projected.get(s.number, []),
            by_session.get(s.number, []),
        )
        for s in sessions
    ]
    rows += [SessionRow(s, projected[s.number], by_session.get(s.number, [])) for s in extra]

    def is_upcoming(row: SessionRow) -> bool:
        last = row.session.end_date or row.session.start_date
        return last is None or last >= today

    return WholeCalendar(
        upcoming_sessions=[r for r in rows if is_upcoming(r)],
        earlier_sessions=[r for r in reversed(rows) if not is_upcoming(r)],
        upcoming_deadlines=[e for e in entries if e.is_upcoming(now)][:deadline_limit],
        now=now,
    )


def _projected_by_session(
    now: datetime, sessions: list[Session] | None = None
) -> dict[int, list[ProjectedReview]]:
    """Every State's estimated next reviews (see `_with_projections`), by session number.

    `sessions`, when given, are all the sessions with their reviews (and their States)
    prefetched, which saves two queries."""
    if sessions is None:
        reviews = list(Review.objects.select_related("state", "session").order_by("session"))
        calendar = None
    else:
        reviews = [review for session in sessions for review in session.reviews.all()]
        calendar = {session.number: session for session in sessions}
    _entries, projected = _with_projections(reviews, now, calendar)
    by_number: dict[int, list[ProjectedReview]] = {}
    for review in sorted(projected, key=lambda r: r.state.short_name):
        by_number.setdefault(review.session_id, []).append(review)
    return by_number


def feed_entries_all(now: datetime | None = None) -> list[DeadlineEntry]:
    """The whole-calendar feed: session-wide dates, plus per-review dates that differ.

    Per-review estimates are left out (they would repeat the session's dates fourteen times);
    stored per-review rows and recorded dialogue days are kept. Sessions estimated from the
    review order (see projection.py) come with their session-wide dates.
    """
    now = now or timezone.now()
    sessions: list[Session | ProjectedSession] = list(Session.objects.order_by("number"))
    known = {s.number for s in sessions}
    sessions += sorted(
        (
            reviews[0].session
            for number, reviews in _projected_by_session(now).items()
            if number not in known
        ),
        key=lambda s: s.number,
    )
    entries = entries_for_sessions(sessions)
    # A subquery rather than a join + DISTINCT: a review with several rows stays one review.
    with_rows = Deadline.objects.filter(review__isnull=False).values("review_id")
    reviews = list(
        Review.objects.filter(Q(review_date__isnull=False) | Q(pk__in=with_rows)).select_related(
            "state", "session"
        )
    )
    entries += [e for e in entries_for_reviews(reviews) if e.scope in {Scope.REVIEW, Scope.RECORD}]
    return sorted(entries, key=_sort_key)


def reviews_in_period(start: date, end: date) -> list[Review]:
    """Reviews whose session starts between `start` and `end` (used by the reminders)."""
    return list(
        Review.objects.filter(session__start_date__gte=start, session__start_date__lte=end)
        .select_related("state", "session")
        .order_by("session", "state__short_name")
    )


def deadline_for_edit(pk: int) -> Deadline | None:
    return (
        Deadline.objects.select_related("session", "review__state", "review__session", "updated_by")
        .filter(pk=pk)
        .first()
    )


def session_by_number(number: int) -> Session | None:
    return Session.objects.filter(number=number).first()


def review_in_session(code: str, session: Session) -> Review | None:
    """The review of the State with this code (any case) in this session, with its State and
    session loaded."""
    return (
        Review.objects.select_related("state", "session")
        .filter(state__code=code.upper(), session=session)
        .first()
    )


def stored_deadline(kind: str, *, session: Session, review: Review | None) -> Deadline | None:
    """The stored row for this kind: of the review when one is given, else of the whole
    session (``review=None``)."""
    if review is not None:
        return Deadline.objects.filter(review=review, kind=kind).first()
    return Deadline.objects.filter(session=session, review=None, kind=kind).first()
