"""Reference data: States and their aliases, UPR cycles, Working Group sessions, known reviews.

Read from ``uprhub/reviews/data/{states,sessions,reviews}.csv``. Loading is idempotent and fills
gaps only: a value already in the database is never overwritten, because coordinators may have
corrected it (the domain brief asks for rules and dates kept as editable data). A disagreement
between the database and the CSV is reported as a warning instead.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.db import models
from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import ImportSummary, run_import
from uprhub.reviews.models import Cycle, Review, Session, State, StateAlias, StateKind
from uprhub.reviews.names import DATA_DIR, load_state_records, normalise_name

SESSIONS_CSV = DATA_DIR / "sessions.csv"
REVIEWS_CSV = DATA_DIR / "reviews.csv"


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value) if value else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fill_blanks(obj: models.Model, values: dict, summary: ImportSummary, label: str) -> bool:
    """Set the fields of ``obj`` that are empty; warn about those that differ. True if changed."""
    changed = False
    for name, value in values.items():
        if value in (None, ""):
            continue
        current = getattr(obj, name)
        if current in (None, ""):
            setattr(obj, name, value)
            changed = True
        elif current != value:
            summary.warn(
                None,
                _(
                    "%(object)s: %(field)s is %(current)r in the database, %(value)r in the "
                    "reference data; the database value is kept"
                )
                % {"object": label, "field": name, "current": current, "value": value},
            )
    return changed


def _tally(summary: ImportSummary, created: bool, changed: bool) -> None:
    if created:
        summary.created += 1
    elif changed:
        summary.updated += 1
    else:
        summary.unchanged += 1


def _load_states(summary: ImportSummary) -> None:
    records = load_state_records()
    states = {s.code: s for s in State.objects.all()}
    for record in records:
        values = {
            "iso3": record.iso3,
            "un_name": record.un_name,
            "short_name": record.short_name or record.un_name,
            "regional_group": record.regional_group,
            "kind": record.kind,
        }
        state = states.get(record.code)
        if state is None:
            state = State.objects.create(code=record.code, **values)
            states[record.code] = state
            _tally(summary, True, False)
            continue
        changed = _fill_blanks(state, values, summary, record.code)
        if changed:
            state.save()
        _tally(summary, False, changed)

    aliases = dict(StateAlias.objects.values_list("key", "state_id"))
    new_aliases: list[StateAlias] = []
    for record in records:
        state = states[record.code]
        for name in record.names():
            key = normalise_name(name)[:200]
            if not key:
                continue
            owner = aliases.get(key)
            if owner is None:
                new_aliases.append(StateAlias(state=state, name=name[:200], key=key))
                aliases[key] = state.pk
            elif owner != state.pk:
                summary.warn(
                    None,
                    _(
                        "the name %(name)r already means another State in the database; "
                        "left as it is"
                    )
                    % {"name": name},
                )
    StateAlias.objects.bulk_create(new_aliases, batch_size=500)
    summary.count(_("State aliases created"), len(new_aliases))


def _load_cycles_and_sessions(summary: ImportSummary) -> None:
    rows = _read_csv(SESSIONS_CSV)
    spans: dict[int, list[dt.date]] = {}
    for row in rows:
        cycle = int(row["cycle"])
        for value in (row["start_date"], row["end_date"]):
            if value.strip():
                spans.setdefault(cycle, []).append(_date(value))
    cycles = {c.number: c for c in Cycle.objects.all()}
    for number, dates in sorted(spans.items()):
        values = {"start_date": min(dates), "end_date": max(dates)}
        cycle = cycles.get(number)
        if cycle is None:
            cycles[number] = Cycle.objects.create(number=number, **values)
            _tally(summary, True, False)
            continue
        changed = _fill_blanks(cycle, values, summary, str(cycle))
        if changed:
            cycle.save()
        _tally(summary, False, changed)

    sessions = {s.number: s for s in Session.objects.all()}
    for row in rows:
        number = int(row["number"])
        values = {
            "cycle_id": int(row["cycle"]),
            "start_date": _date(row["start_date"]),
            "end_date": _date(row["end_date"]),
            "dates_note": (row.get("source_note") or "").strip()[:200],
        }
        session = sessions.get(number)
        if session is None:
            Session.objects.create(number=number, **values)
            _tally(summary, True, False)
            continue
        changed = _fill_blanks(session, values, summary, str(session))
        if changed:
            session.save()
        _tally(summary, False, changed)


def _load_reviews(summary: ImportSummary) -> None:
    states = {s.iso3: s for s in State.objects.exclude(iso3="")}
    for row in _read_csv(REVIEWS_CSV):
        state = states[row["iso3"].strip()]
        session = int(row["session"])
        values = {
            "review_date": _date(row["review_date"]),
            "wg_report_symbol": row["wg_report_symbol"].strip(),
            "responses_symbol": row["responses_symbol"].strip(),
            "note": row["note"].strip(),
        }
        review = Review.objects.filter(state=state, session_id=session).first()
        if review is None:
            review = Review(state=state, session_id=session, **values)
            review.save()  # fills the /1 /2 /3 symbols
            _tally(summary, True, False)
            continue
        changed = _fill_blanks(review, values, summary, str(review))
        if changed:
            review.save()
        _tally(summary, False, changed)


def _load(summary: ImportSummary) -> ImportSummary:
    _load_states(summary)
    _load_cycles_and_sessions(summary)
    _load_reviews(summary)
    return summary


def load_reference_data(*, dry_run: bool = False) -> ImportSummary:
    """Create or complete States, aliases, cycles, sessions and known reviews (one transaction)."""
    summary = ImportSummary(kind="reference", file="reviews/data (states, sessions, reviews)")
    summary.rows = len(load_state_records())
    return run_import(lambda: _load(summary), dry_run=dry_run)


def ensure_reference_data() -> None:
    """Load the reference data if there are no States yet (inside the caller's transaction), so
    that a data import into an empty database matches names instead of inventing unknowns."""
    if not State.objects.filter(kind=StateKind.MEMBER).exists():
        _load(ImportSummary(kind="reference", file="reference"))
