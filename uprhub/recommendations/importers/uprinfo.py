"""UPR Info database exports: recommendations and voluntary pledges (CSV).

Columns: To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session.
The export has one row per (recommendation, recommending State) pair; rows of the same review
whose normalised texts are equal are merged into one recommendation with several recommending
States (the UN numbers them as one item too). State names are UPR Info's own short forms and are
matched through the alias table; a name that matches nothing is kept as a visible *unknown*
State, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
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
from uprhub.recommendations.importers.lookups import Lookups
from uprhub.recommendations.importers.pipeline import Parsed, import_source_file
from uprhub.recommendations.importers.sync import (
    PledgeDraft,
    RecDraft,
    sync_pledges,
    sync_recommendations,
)
from uprhub.recommendations.importers.text import map_position, parse_session, text_key
from uprhub.recommendations.models import SourceKind

ISSUES = "uprinfo-issues"
REQUIRED = ("To", "Text", "From", "Response", "Session")
OPTIONAL = ("To-Rgrp", "From-Rgrp", "Action", "Issue")
PLEDGE_REQUIRED = ("To", "Text", "Session")
PLEDGE_OPTIONAL = ("To-Rgrp", "Response", "Issue")
PLEDGE_RESPONSE = "voluntary pledge"
UPRINFO_RESPONSES = "Accepted, Noted, Rejected, General Response, No Response, Pending"


class _Row:
    """Cell access by column name for one parsed table (absent optional columns read as "")."""

    def __init__(self, table: CsvTable) -> None:
        self.index = table.columns

    def get(self, cells: list[str], column: str) -> str:
        i = self.index.get(column)
        return cells[i] if i is not None else ""


def _session(table: CsvTable, line: int, value: str) -> int:
    number = parse_session(value)
    if number is None:
        raise ImportFailed(
            table.path,
            line,
            _("Session %(value)r is not a Working Group session number") % {"value": value},
        )
    return number


def _action(table: CsvTable, line: int, value: str, cache: dict[str, int | None]) -> int | None:
    try:
        return cache[value]
    except KeyError:
        pass
    text = value.strip()
    if not text:
        result = None
    elif text in {"1", "2", "3", "4", "5"}:
        result = int(text)
    else:
        raise ImportFailed(
            table.path,
            line,
            _("Action %(value)r is not an action category (1 to 5, or empty)") % {"value": value},
        )
    cache[value] = result
    return result


def _issue_ids(value: str, lookups: Lookups, cache: dict[str, list[int]]) -> list[int]:
    ids = cache.get(value)
    if ids is None:
        names = [n.strip() for n in value.split(",")]
        ids = [lookups.theme_id(ISSUES, n) for n in dict.fromkeys(n for n in names if n)]
        cache[value] = ids
    return ids


def _parse_recommendations(
    table: CsvTable, lookups: Lookups, summary: ImportSummary, progress: Progress | None
) -> list[RecDraft]:
    col = _Row(table)
    ticker = Ticker(progress, table.estimated_rows)
    drafts: dict[tuple[int, str], RecDraft] = {}
    positions: dict[str, str] = {}
    actions: dict[str, int | None] = {}
    issues: dict[str, list[int]] = {}
    reviews: dict[tuple[str, str], int] = {}
    for line, cells in table.rows():
        ticker.tick()
        summary.rows += 1
        text = col.get(cells, "Text").strip()
        if not text:
            raise ImportFailed(table.path, line, _("the Text cell is empty"))
        response = col.get(cells, "Response").strip()
        position = positions.get(response)
        if position is None:
            position = map_position(response)
            if position is None:
                hint = ""
                if response.casefold() == PLEDGE_RESPONSE:
                    hint = " " + _("(voluntary pledges are imported with kind uprinfo-pledges)")
                raise ImportFailed(
                    table.path,
                    line,
                    _("unknown Response %(value)r (expected one of: %(known)s)")
                    % {"value": response, "known": UPRINFO_RESPONSES}
                    + hint,
                )
            positions[response] = position
        action = _action(table, line, col.get(cells, "Action"), actions)
        to_name, session_value = col.get(cells, "To"), col.get(cells, "Session")
        review_id = reviews.get((to_name, session_value))
        if review_id is None:
            session = _session(table, line, session_value)
            if not to_name.strip():
                raise ImportFailed(table.path, line, _("the To cell (State under review) is empty"))
            state = lookups.state(to_name, line, region=col.get(cells, "To-Rgrp"))
            review_id = reviews[(to_name, session_value)] = lookups.review_id(state, session)
        key = text_key(text)
        draft = drafts.get((review_id, key))
        if draft is None:
            draft = drafts[(review_id, key)] = RecDraft(
                review_id=review_id,
                text=text,
                key=key,
                source_row=line,
                position=position,
                position_as_published=response,
                action_category=action,
            )
        else:
            _check_merge(draft, line, response, action, summary)
        from_name = col.get(cells, "From")
        recommender = lookups.state(from_name, line, region=col.get(cells, "From-Rgrp"))
        if not draft.add_recommender(recommender.pk, from_name, line):
            summary.warn(
                line,
                _("repeats line %(first)s (same recommendation from %(state)s); merged")
                % {"first": draft.recommenders[recommender.pk][1], "state": from_name.strip()},
                WarningKind.REPEAT,
            )
        for theme_id in _issue_ids(col.get(cells, "Issue"), lookups, issues):
            draft.add_label(theme_id, line)
    ticker.finish()
    return list(drafts.values())


def _check_merge(
    draft: RecDraft, line: int, response: str, action: int | None, summary: ImportSummary
) -> None:
    """Rows merged into one recommendation should agree; when they do not, the first row wins."""
    if response != draft.position_as_published:
        summary.warn(
            line,
            _(
                "same recommendation as line %(first)s but Response %(this)r instead of "
                "%(kept)r; the first is kept"
            )
            % {"first": draft.source_row, "this": response, "kept": draft.position_as_published},
            WarningKind.CONFLICT,
        )
    if action != draft.action_category:
        summary.warn(
            line,
            _(
                "same recommendation as line %(first)s but Action %(this)s instead of "
                "%(kept)s; the first is kept"
            )
            % {"first": draft.source_row, "this": action, "kept": draft.action_category},
            WarningKind.CONFLICT,
        )


def _parse_pledges(
    table: CsvTable, lookups: Lookups, summary: ImportSummary, progress: Progress | None
) -> list[PledgeDraft]:
    col = _Row(table)
    ticker = Ticker(progress, table.estimated_rows)
    drafts: dict[tuple[int, str], PledgeDraft] = {}
    issues: dict[str, list[int]] = {}
    for line, cells in table.rows():
        ticker.tick()
        summary.rows += 1
        text = col.get(cells, "Text").strip()
        if not text:
            raise ImportFailed(table.path, line, _("the Text cell is empty"))
        response = col.get(cells, "Response").strip()
        if "Response" in table.columns and response.casefold() != PLEDGE_RESPONSE:
            raise ImportFailed(
                table.path,
                line,
                _('unknown Response %(value)r in a pledges file (expected "Voluntary Pledge")')
                % {"value": response},
            )
        session = _session(table, line, col.get(cells, "Session"))
        to_name = col.get(cells, "To")
        if not to_name.strip():
            raise ImportFailed(table.path, line, _("the To cell (State under review) is empty"))
        state = lookups.state(to_name, line, region=col.get(cells, "To-Rgrp"))
        review_id = lookups.review_id(state, session)
        key = text_key(text)
        draft = drafts.get((review_id, key))
        if draft is None:
            draft = drafts[(review_id, key)] = PledgeDraft(review_id, text, key, line)
        else:
            summary.warn(
                line,
                _("same pledge as line %(first)s; merged") % {"first": draft.source_row},
                WarningKind.REPEAT,
            )
        for theme_id in _issue_ids(col.get(cells, "Issue"), lookups, issues):
            if theme_id not in draft.themes:
                draft.themes.append(theme_id)
    ticker.finish()
    return list(drafts.values())


def _import(
    path: str | Path,
    kind: SourceKind,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
    parse: Callable,
    sync: Callable,
    *,
    dry_run: bool,
    progress: Progress | None,
    between_batches: Callable[[], None] | None = None,
) -> ImportSummary:
    """The steps both UPR Info files share; ``parse`` and ``sync`` are what differ."""
    data = read_bytes(path)
    required, optional = columns
    table = read_csv(path, data, required=required, optional=optional)
    return import_source_file(
        path,
        data,
        kind=kind,
        parse=lambda lookups, summary: Parsed(parse(table, lookups, summary, progress)),
        sync=sync,
        file_name=table.name,
        dry_run=dry_run,
        between_batches=between_batches,
    )


def import_uprinfo(
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    between_batches: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import a UPR Info recommendations export (all or nothing; see the module docstring).

    `between_batches` is called between the write batches of a batched (SQLite) import.
    """
    return _import(
        path,
        SourceKind.UPRINFO_CSV,
        (REQUIRED, OPTIONAL),
        _parse_recommendations,
        sync_recommendations,
        dry_run=dry_run,
        progress=progress,
        between_batches=between_batches,
    )


def import_uprinfo_pledges(
    path: str | Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Import a UPR Info voluntary pledges export (same columns; Response "Voluntary Pledge")."""
    return _import(
        path,
        SourceKind.UPRINFO_PLEDGES_CSV,
        (PLEDGE_REQUIRED, PLEDGE_OPTIONAL),
        _parse_pledges,
        sync_pledges,
        dry_run=dry_run,
        progress=progress,
    )
