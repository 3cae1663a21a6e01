"""OHCHR recommendations CSV: one review's list (paragraph, recommending_state, position,
primary_theme, text), as in ``ohchr/usa-cycle3-recommendations.csv``.

The file says neither the State under review nor the session. They come from ``state`` /
``session`` arguments or, failing those, from a file name like ``usa-cycle3-….csv`` plus the
reviews the database knows (the US in cycle 3 → session 36).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import (
    ImportFailed,
    ImportSummary,
    Progress,
    Ticker,
    WarningKind,
    read_bytes,
)
from uprhub.recommendations.importers.csvfile import CsvTable, read_csv
from uprhub.recommendations.importers.lookups import Lookups, ohchr_themes_slug
from uprhub.recommendations.importers.pipeline import Parsed, import_source_file
from uprhub.recommendations.importers.sync import (
    RecDraft,
    make_keys_unique,
)
from uprhub.recommendations.importers.text import (
    map_position,
    split_recommenders,
    text_key,
)
from uprhub.recommendations.models import SourceKind
from uprhub.reviews.models import Review, State, StateKind

REQUIRED = ("paragraph", "recommending_state", "position", "text")
OPTIONAL = ("primary_theme",)
OHCHR_POSITIONS = "supported, noted, supported_noted, pending"
_FILE_NAME = re.compile(r"^(?P<iso3>[A-Za-z]{3})[-_]cycle[-_]?(?P<cycle>\d)\b", re.IGNORECASE)


def resolve_review(
    path: Path,
    lookups: Lookups,
    *,
    state: str | None,
    session: int | None,
    inferred_state: str | None = None,
    inferred_session: int | None = None,
    inferred_cycle: int | None = None,
    state_hint: str = "",
) -> tuple[State, int]:
    """The State under review and the session: explicit options first, then what the file (name
    or header) suggests; a clear error when neither says enough."""
    name = state or inferred_state
    if not name:
        raise ImportFailed(
            path,
            None,
            _("cannot tell which State is under review: %(hint)s")
            % {"hint": state_hint or _("name the file <ISO3>-cycle<N>-….csv or pass --state ISO3")},
        )
    found = lookups.find_state(name)
    if found is None or found.kind == StateKind.UNKNOWN:
        raise ImportFailed(path, None, _("unknown State %(name)r") % {"name": name})
    number = session or inferred_session
    if number is None and inferred_cycle is not None:
        sessions = sorted(
            Review.objects.filter(state=found, session__cycle_id=inferred_cycle).values_list(
                "session_id", flat=True
            )
        )
        if len(sessions) == 1:
            number = sessions[0]
    if number is None:
        raise ImportFailed(
            path,
            None,
            _(
                "cannot tell the Working Group session of %(state)s's review%(cycle)s: "
                "pass --session N"
            )
            % {
                "state": found.short_name,
                "cycle": _(" in cycle %(n)s") % {"n": inferred_cycle} if inferred_cycle else "",
            },
        )
    return found, number


def _parse(
    table: CsvTable,
    lookups: Lookups,
    summary: ImportSummary,
    review_id: int,
    cycle: int,
    progress: Progress | None,
) -> list[RecDraft]:
    cols = table.columns
    ticker = Ticker(progress, table.estimated_rows)
    by_paragraph: dict[str, RecDraft] = {}
    by_key: dict[str, RecDraft] = {}
    drafts: list[RecDraft] = []
    for line, cells in table.rows():
        ticker.tick()
        summary.rows += 1
        paragraph = cells[cols["paragraph"]].strip()
        text = cells[cols["text"]].strip()
        if not text:
            raise ImportFailed(table.path, line, _("the text cell is empty"))
        published = cells[cols["position"]].strip()
        position = map_position(published)
        if position is None:
            raise ImportFailed(
                table.path,
                line,
                _("unknown position %(value)r (expected one of: %(known)s)")
                % {"value": published, "known": OHCHR_POSITIONS},
            )
        names = [n.strip() for n in cells[cols["recommending_state"]].split(";") if n.strip()]
        if not names:
            body, found = split_recommenders(text, lookups.is_known_state, trust_last=False)
            if found:
                text, names = body, found
                summary.warn(
                    line,
                    _("recommending_state is empty; %(names)s taken from the end of the text")
                    % {"names": ", ".join(found)},
                    WarningKind.MISSING,
                )
            else:
                summary.warn(
                    line, _("no recommending State: recorded as Unknown"), WarningKind.MISSING
                )
        key = text_key(text)
        draft = by_paragraph.get(paragraph) if paragraph else by_key.get(key)
        if draft is None:
            draft = RecDraft(
                review_id=review_id,
                text=text,
                key=key,
                source_row=line,
                position=position,
                position_as_published=published,
                paragraph=paragraph,
            )
            drafts.append(draft)
            by_key.setdefault(key, draft)
            if paragraph:
                by_paragraph[paragraph] = draft
        elif draft.key != key or draft.position != position:
            summary.warn(
                line,
                _(
                    "paragraph %(paragraph)s already appeared at line %(first)s with a different "
                    "text or position; the first is kept"
                )
                % {"paragraph": paragraph or "?", "first": draft.source_row},
                WarningKind.CONFLICT,
            )
        recommenders = [lookups.state(n, line) for n in names] or [lookups.unknown_state]
        for state, name in zip(recommenders, names or [""], strict=True):
            draft.add_recommender(state.pk, name, line)
        theme = cells[cols["primary_theme"]].strip() if "primary_theme" in cols else ""
        if theme:
            draft.add_label(lookups.theme_id(ohchr_themes_slug(cycle), theme), line)
    ticker.finish()
    make_keys_unique(drafts)
    return drafts


def import_ohchr_csv(
    path: str | Path,
    *,
    state: str | None = None,
    session: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import an OHCHR recommendations CSV for one review (see the module docstring)."""
    path = Path(path)
    data = read_bytes(path)
    table = read_csv(path, data, required=REQUIRED, optional=OPTIONAL)
    match = _FILE_NAME.match(path.name)

    def parse(lookups: Lookups, summary: ImportSummary) -> Parsed:
        under_review, number = resolve_review(
            path,
            lookups,
            state=state,
            session=session,
            inferred_state=match.group("iso3") if match else None,
            inferred_cycle=int(match.group("cycle")) if match else None,
        )
        review_id = lookups.review_id(under_review, number)
        cycle = lookups.session(number).cycle_id
        return Parsed(_parse(table, lookups, summary, review_id, cycle, progress))

    return import_source_file(
        path, data, kind=SourceKind.OHCHR_CSV, parse=parse, file_name=table.name, dry_run=dry_run
    )
