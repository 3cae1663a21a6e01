"""Load the bundled calendar: which States each session reviews, and the known deadlines.

`load_calendar()` is idempotent and runs after the reference importer (States and sessions must
exist). It

* creates the missing Review rows (State × session) of `data/session_states.csv`, and fills a
  blank dialogue day of an existing review — it never overwrites the reviews app's data;
* moves a review that an earlier release placed at the session it was first planned for
  (`planned_session`) to the session it was held at, with all that hangs on it. Where both
  rows exist, the planned one is removed if nothing but bundled deadlines hangs on it, and
  reported otherwise;
* stores the deadlines of `data/deadlines.csv`, and refreshes a bundled row whose values
  changed in a newer release — unless a coordinator has edited it (`updated_by` set).

Problems in a line (unknown State, bad date…) are collected with the file name and line number
and the line is skipped, so one bad line never blocks first-run preparation.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uprhub.core.rules import Actor, require_perm
from uprhub.reviews.models import Review, Session, State

from . import estimates
from .models import GENEVA_TZ, Deadline, DeadlineKind

DATA_DIR = Path(__file__).resolve().parent / "data"
SESSION_STATES_CSV = DATA_DIR / "session_states.csv"
DEADLINES_CSV = DATA_DIR / "deadlines.csv"


class LineError(ValueError):
    pass


@dataclass
class LoadSummary:
    reviews_created: int = 0
    reviews_updated: int = 0
    deadlines_created: int = 0
    deadlines_updated: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reviews_moved: int = 0
    reviews_removed: int = 0

    def __str__(self) -> str:
        text = _(
            "calendar: %(reviews_created)s reviews created, %(reviews_updated)s updated; "
            "%(deadlines_created)s deadlines created, %(deadlines_updated)s updated"
        ) % {
            "reviews_created": self.reviews_created,
            "reviews_updated": self.reviews_updated,
            "deadlines_created": self.deadlines_created,
            "deadlines_updated": self.deadlines_updated,
        }
        if self.reviews_moved or self.reviews_removed:
            text += _(
                "; %(moved)s reviews moved to the session they were held at, "
                "%(removed)s left-over rows removed"
            ) % {"moved": self.reviews_moved, "removed": self.reviews_removed}
        # The English is the same for one and many (the summaries' format, kept as it was).
        for problems, message in (
            (
                self.warnings,
                ngettext(
                    "; %(n)s warnings (first: %(first)s)",
                    "; %(n)s warnings (first: %(first)s)",
                    len(self.warnings),
                ),
            ),
            (
                self.errors,
                ngettext(
                    "; %(n)s lines skipped (first: %(first)s)",
                    "; %(n)s lines skipped (first: %(first)s)",
                    len(self.errors),
                ),
            ),
        ):
            if problems:
                text += message % {"n": len(problems), "first": problems[0]}
        return text


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """CSV rows with their line numbers; lines starting with '#' are comments."""
    with path.open(newline="", encoding="utf-8") as handle:
        numbered = [
            (number, line)
            for number, line in enumerate(handle, start=1)
            if line.strip() and not line.startswith("#")
        ]
    if not numbered:
        return
    header = next(csv.reader([numbered[0][1]]))
    for number, line in numbered[1:]:
        values = next(csv.reader([line]))
        yield number, {key: value.strip() for key, value in zip(header, values, strict=False)}


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise LineError(_("bad date %(text)r") % {"text": text}) from exc


class _Reference:
    """States, sessions and reviews by key, loaded once (a few queries for the whole file)."""

    def __init__(self) -> None:
        self.states = {s.code: s for s in State.objects.all()}
        self.sessions = {s.number: s for s in Session.objects.all()}
        self.reviews = {
            (r.state.code, r.session_id): r for r in Review.objects.select_related("state")
        }

    def state(self, code: str) -> State:
        try:
            return self.states[code.upper()]
        except KeyError:
            raise LineError(
                _("unknown State %(code)r (load the reference data first)") % {"code": code}
            ) from None

    def session(self, text: str) -> Session:
        try:
            return self.sessions[int(text)]
        except (KeyError, ValueError):
            raise LineError(_("unknown session %(text)r") % {"text": text}) from None


def _line_error(path: Path, number: int, exc: Exception) -> str:
    return _("%(file)s line %(line)s: %(problem)s") % {
        "file": path.name,
        "line": number,
        "problem": exc,
    }


def _load_session_states(path: Path, ref: _Reference, summary: LoadSummary) -> None:
    for number, row in _rows(path):
        try:
            state = ref.state(row["iso3"])
            session = ref.session(row["session"])
            review_date = _parse_date(row.get("review_date", ""))
            # A review held later than planned keeps its documents' original session number.
            symbols_session = row.get("symbols_session", "")
            symbols_number = ref.session(symbols_session).number if symbols_session else None
            planned_session = row.get("planned_session", "")
            planned = ref.session(planned_session).number if planned_session else None
        except (LineError, KeyError) as exc:
            summary.errors.append(_line_error(path, number, exc))
            continue
        review = ref.reviews.get((state.code, session.number))
        earlier = ref.reviews.get((state.code, planned)) if planned != session.number else None
        if earlier is not None:
            if review is None:
                review = _move(earlier, session, symbols_number, review_date, row.get("note", ""))
                del ref.reviews[(state.code, planned)]
                ref.reviews[(state.code, session.number)] = review
                summary.reviews_moved += 1
                continue
            if _only_bundled_data(earlier):
                earlier.delete()  # with its bundled deadlines, and nothing else
                del ref.reviews[(state.code, planned)]
                summary.reviews_removed += 1
            else:
                problem = _(
                    "%(state)s is listed at sessions %(planned)s and %(session)s; the review "
                    "was held at %(session)s, but the row at %(planned)s has data of its own, "
                    "so it was kept: move that data and delete the row in the admin"
                ) % {"state": state.code, "planned": planned, "session": session.number}
                summary.warnings.append(_line_error(path, number, problem))
        if review is None:
            review = Review(
                state=state, session=session, review_date=review_date, note=row.get("note", "")
            )
            review.fill_pre_session_symbols(symbols_number)
            review.save()
            ref.reviews[(state.code, session.number)] = review
            summary.reviews_created += 1
        elif review.review_date is None and review_date is not None:
            Review.objects.filter(pk=review.pk).update(review_date=review_date)
            review.review_date = review_date
            summary.reviews_updated += 1


_SYMBOL_FIELDS = (
    (1, "national_report_symbol"),
    (2, "compilation_symbol"),
    (3, "stakeholder_summary_symbol"),
)


def _move(
    review: Review,
    session: Session,
    symbols_number: int | None,
    review_date: date | None,
    note: str,
) -> Review:
    """Move ``review`` to ``session``: the same row, so its documents, recommendations,
    reports and deadlines follow it. Pre-session symbols that were only the pattern of the old
    session get the pattern of the documents' session; typed-in ones stay."""
    patterned = {
        name: getattr(review, name) == review.pre_session_symbol(n) for n, name in _SYMBOL_FIELDS
    }
    review.session = session
    for name, was_pattern in patterned.items():
        if was_pattern:
            setattr(review, name, "")
    review.fill_pre_session_symbols(symbols_number)
    review.review_date = review_date  # a dialogue day of the old session cannot be right
    review.note = review.note or note
    review.save()
    return review


def _only_bundled_data(review: Review) -> bool:
    """Whether nothing hangs on ``review`` but deadlines this loader made and nobody edited."""
    for relation in Review._meta.related_objects:
        related = relation.related_model._base_manager.filter(**{relation.field.name: review})
        if relation.related_model is Deadline:
            related = related.filter(updated_by__isnull=False)
        if related.exists():
            return False
    return True


def _bundled_values(row: dict[str, str], session: Session, review: Review | None) -> dict:
    kind = row["kind"]
    if kind not in DeadlineKind.values:
        raise LineError(_("unknown kind %(kind)r") % {"kind": kind})
    zone = row.get("time_zone") or GENEVA_TZ
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise LineError(_("unknown time zone %(zone)r") % {"zone": zone}) from None
    cancelled = row.get("cancelled", "0") == "1"
    text = row.get("due", "")
    if "T" in text:
        try:
            due, all_day = datetime.fromisoformat(text).replace(tzinfo=tz), False
        except ValueError as exc:
            raise LineError(_("bad date and time %(text)r") % {"text": text}) from exc
    elif text:
        due, all_day = datetime.combine(_parse_date(text), datetime.min.time(), tzinfo=tz), True
    elif cancelled:
        # A step that did not happen keeps the date it would have had, for the record.
        guess = estimates.estimate(
            kind,
            session_start=session.start_date,
            session_end=session.end_date,
            review_date=review.review_date if review else None,
        )
        if guess is None:
            raise LineError(_("no date and none can be estimated"))
        due, all_day = guess.due, guess.all_day
    else:
        raise LineError(_("a date is required unless the step is cancelled"))
    return {
        "due": due,
        "all_day": all_day,
        "time_zone": zone,
        "is_estimated": row.get("is_estimated", "0") == "1",
        "cancelled": cancelled,
        "source_note": row.get("source_note", ""),
    }


def _load_deadlines(path: Path, ref: _Reference, summary: LoadSummary) -> None:
    existing = {(d.session_id, d.review_id, d.kind): d for d in Deadline.objects.all()}
    for number, row in _rows(path):
        try:
            session = ref.session(row["session"])
            review = None
            if row.get("iso3"):
                state = ref.state(row["iso3"])
                review = ref.reviews.get((state.code, session.number))
                if review is None:
                    raise LineError(
                        _("no review of %(state)s at session %(session)s")
                        % {"state": state.code, "session": session.number}
                    )
            values = _bundled_values(row, session, review)
        except (LineError, KeyError) as exc:
            summary.errors.append(_line_error(path, number, exc))
            continue
        key = (None, review.pk, row["kind"]) if review else (session.number, None, row["kind"])
        current = existing.get(key)
        if current is None:
            Deadline.objects.create(
                session=None if review else session, review=review, kind=row["kind"], **values
            )
            summary.deadlines_created += 1
        elif current.updated_by_id is None and any(
            getattr(current, name) != value for name, value in values.items()
        ):
            # A newer bundled date replaces an older bundled one; the version bump makes any
            # edit form opened on the old value refuse to save over it.
            Deadline.objects.filter(pk=current.pk).update(**values, version=F("version") + 1)
            summary.deadlines_updated += 1


def load_calendar(
    session_states: Path = SESSION_STATES_CSV,
    deadlines: Path = DEADLINES_CSV,
    *,
    actor: Actor = None,
) -> LoadSummary:
    """Load both bundled files in one transaction; see the module docstring.

    The command line and first-run preparation load as the system (actor None)."""
    require_perm(actor, "calendar.load")
    summary = LoadSummary()
    with transaction.atomic():
        ref = _Reference()
        _load_session_states(session_states, ref, summary)
        _load_deadlines(deadlines, ref, summary)
    return summary
