"""OHCHR "thematic list of recommendations" (Word .docx), 2nd, 3rd and 4th cycle layouts.

One table; rows spanning the table read "Theme: …" and group the items below them. Each item
row has:

* the recommendation: "140.7 Ratify … (Maldives) (Portugal);" then a line
  "Source of Position: A/HRC/59/15/Add.1 - Para.3";
* the position ("Supported", "Noted"…);
* the themes: a dash list, 2nd-cycle ones coded ("A12 Acceptance of international norms"),
  followed by "Groups of Persons:" (4th cycle) or "Affected persons:" (2nd, 3rd) and, in the
  3rd cycle, "SDGs:" lists;
* 4th cycle only: a "Relevant SDGs" column ("- 5 - GENDER EQUALITY"); the 2nd and 3rd cycles have
  an empty "Assessment/comments on level of implementation" column instead, which is ignored.

The State and session are only in the page header: "UPR of Slovenia (4th Cycle - 48th Session)".
The same item may sit under several "Theme:" headings; it is one recommendation (merged by
paragraph number). Errors name the table row (the column-title row is row 1).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
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
from uprhub.recommendations.importers.lookups import (
    Lookups,
    ohchr_groups_slug,
    ohchr_themes_slug,
)
from uprhub.recommendations.importers.ohchr_csv import resolve_review
from uprhub.recommendations.importers.pipeline import Parsed, import_source_file
from uprhub.recommendations.importers.sync import (
    RecDraft,
    make_keys_unique,
)
from uprhub.recommendations.importers.text import (
    clean_text,
    dash_list,
    map_position,
    sdg_number,
    split_paragraph,
    split_recommenders,
    split_theme_code,
    text_key,
)
from uprhub.recommendations.models import Position, SourceKind

_HEADER = re.compile(
    r"UPR\s+of\s+(?P<state>.+?)\s*\(\s*(?P<cycle>\d+)\s*(?:st|nd|rd|th)?\s+Cycle\s*[-\u2013\u2014]"
    r"\s*(?P<session>\d+)\s*(?:st|nd|rd|th)?\s+Session\s*\)",
    re.IGNORECASE,
)
_SOURCE_OF_POSITION = re.compile(
    r"^Source\s+of\s+position\s*:\s*(?P<symbol>[A-Z]/\S+?)\s*(?:-\s*Para\.?\s*(?P<para>\d+))?\s*$",
    re.IGNORECASE,
)
_GROUP_HEADINGS = {"groups of persons", "affected persons", "groups of persons/affected persons"}
_SDG_HEADINGS = {"sdgs", "sdg", "relevant sdgs"}
DOCX_POSITIONS = "Supported, Noted, Supported in part, Pending"


def _open(path: Path, data: bytes):
    """The python-docx Document, or an error that says the file is not a usable .docx."""
    import docx  # python-docx: imported here so that the CSV importers do not pay for it

    if not data.strip():
        raise ImportFailed(path, None, _("the file is empty"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFailed(
            path,
            None,
            _("not a Word .docx file (a .docx is a zip archive; this one is not, or is damaged)"),
        )
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (KeyError, lxml, zip errors)
        raise ImportFailed(
            path,
            None,
            _("not a readable Word .docx file (%(error)s)") % {"error": exc or type(exc).__name__},
        ) from None


def _header_text(document) -> str:
    """Text of every page header (and the first body paragraphs, where some lists put it)."""
    parts: list[str] = []
    for section in document.sections:
        for header in (section.header, section.first_page_header, section.even_page_header):
            try:
                parts.extend(p.text for p in header.paragraphs)
                for table in header.tables:
                    parts.extend(cell.text for row in table.rows for cell in row.cells)
            except (KeyError, ValueError):  # a header part that is referenced but missing
                continue
    parts.extend(p.text for p in document.paragraphs[:20])
    return "\n".join(parts)


def _cell_lines(cell) -> list[str]:
    """A cell's lines: its paragraphs, also split at manual line breaks (Shift+Enter)."""
    return [line.strip() for p in cell.paragraphs for line in p.text.split("\n")]


def _find_table(path: Path, document):
    for table in document.tables:
        if not table.rows:
            continue
        titles = [clean_text(c.text).casefold() for c in table.rows[0].cells]
        if titles and "recommendation" in titles[0] and any("position" in t for t in titles):
            return table, titles
    raise ImportFailed(
        path,
        None,
        _(
            "no table of recommendations found (expected a table whose first row reads "
            '"Recommendation… | Position…")'
        ),
    )


class _Columns:
    def __init__(self, titles: list[str]) -> None:
        def find(*words: str) -> int | None:
            for i, title in enumerate(titles):
                if any(w in title for w in words):
                    return i
            return None

        self.recommendation = 0
        self.position = find("position")
        self.themes = find("theme")
        self.sdgs = find("sdg")


def _parse(
    path: Path,
    table,
    columns: _Columns,
    lookups: Lookups,
    summary: ImportSummary,
    review_id: int,
    cycle: int,
    progress: Progress | None,
) -> tuple[list[RecDraft], Counter]:
    themes_slug, groups_slug = ohchr_themes_slug(cycle), ohchr_groups_slug(cycle)
    rows = table.rows
    ticker = Ticker(progress, len(rows), every=50)
    drafts: dict[str, RecDraft] = {}
    symbols: Counter = Counter()
    heading_theme: int | None = None
    header_text = clean_text(rows[0].cells[0].text)
    for number, row in enumerate(rows[1:], start=2):
        ticker.tick()
        cells = row.cells
        first = clean_text(cells[0].text)
        if not any(clean_text(c.text) for c in cells) or first == header_text:
            continue  # blank row, or the column titles repeated
        if first.casefold().startswith("theme:"):
            code, name = split_theme_code(first.split(":", 1)[1])
            heading_theme = lookups.theme_id(themes_slug, name, code) if name else None
            continue
        summary.rows += 1
        lines = [line for line in _cell_lines(cells[0]) if line]
        text_lines: list[str] = []
        for line in lines:
            match = _SOURCE_OF_POSITION.match(line)
            if match:
                symbols[match.group("symbol").rstrip(".,;")] += 1
            elif not line.casefold().startswith("source of position"):
                text_lines.append(line)
        paragraph, body = split_paragraph(" ".join(text_lines))
        if not paragraph:
            raise ImportFailed(
                path,
                number,
                _("no paragraph number (like 140.7) at the start of %(text)r")
                % {"text": first[:60]},
                unit="row",
            )
        body, names = split_recommenders(body, lookups.is_known_state)
        position, published = _position(path, number, cells, columns, summary)
        key = text_key(body)
        draft = drafts.get(paragraph)
        if draft is None:
            draft = drafts[paragraph] = RecDraft(
                review_id=review_id,
                text=body,
                key=key,
                source_row=number,
                position=position,
                position_as_published=published,
                paragraph=paragraph,
            )
            if not names:
                summary.warn(
                    number,
                    _("no recommending State found: recorded as Unknown"),
                    WarningKind.MISSING,
                )
            recommenders = [lookups.state(n, number) for n in names] or [lookups.unknown_state]
            for state, name in zip(recommenders, names or [""], strict=True):
                draft.add_recommender(state.pk, name, number)
        elif draft.key != key or draft.position != position:
            summary.warn(
                number,
                _(
                    "paragraph %(paragraph)s already appeared in row %(first)s with a different "
                    "text or position; the first is kept"
                )
                % {"paragraph": paragraph, "first": draft.source_row},
            )
        if heading_theme is not None:
            draft.add_label(heading_theme, number)
        if columns.themes is not None and columns.themes < len(cells):
            _labels(
                _cell_lines(cells[columns.themes]),
                draft,
                number,
                lookups,
                summary,
                themes_slug,
                groups_slug,
                mode="themes",
            )
        if columns.sdgs is not None and columns.sdgs < len(cells):
            _labels(
                _cell_lines(cells[columns.sdgs]),
                draft,
                number,
                lookups,
                summary,
                themes_slug,
                groups_slug,
                mode="sdgs",
            )
    ticker.finish()
    result = list(drafts.values())
    make_keys_unique(result)
    return result, symbols


def _position(path: Path, number: int, cells, columns: _Columns, summary: ImportSummary):
    published = ""
    if columns.position is not None and columns.position < len(cells):
        published = clean_text(cells[columns.position].text)
    if not published:
        summary.warn(number, _("no position given: recorded as pending"), WarningKind.MISSING)
        return Position.PENDING, ""
    position = map_position(published)
    if position is None:
        raise ImportFailed(
            path,
            number,
            _("unknown position %(value)r (expected one of: %(known)s)")
            % {"value": published, "known": DOCX_POSITIONS},
            unit="row",
        )
    return position, published


def _labels(
    lines: list[str],
    draft: RecDraft,
    number: int,
    lookups: Lookups,
    summary: ImportSummary,
    themes_slug: str,
    groups_slug: str,
    *,
    mode: str,
) -> None:
    """Themes, groups of persons and SDGs of one cell; "Affected persons:"-style lines switch
    between them."""
    for line in lines:
        heading = line.casefold().rstrip(": ").strip()
        if line.rstrip().endswith(":") or heading in _GROUP_HEADINGS | _SDG_HEADINGS:
            if heading in _GROUP_HEADINGS:
                mode = "groups"
                continue
            if heading in _SDG_HEADINGS:
                mode = "sdgs"
                continue
        for item in dash_list(line):
            if mode == "sdgs":
                goal = sdg_number(item)
                if goal is None:
                    summary.warn(number, _("%(value)r is not an SDG goal") % {"value": item})
                else:
                    draft.add_label(lookups.sdg_id(goal), number)
            elif mode == "groups":
                draft.add_label(lookups.theme_id(groups_slug, clean_text(item)), number)
            else:
                code, name = split_theme_code(item)
                draft.add_label(lookups.theme_id(themes_slug, name, code), number)


def import_thematic_docx(
    path: str | Path,
    *,
    state: str | None = None,
    session: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import an OHCHR thematic list (Word) for one review (see the module docstring)."""
    path = Path(path)
    data = read_bytes(path)
    document = _open(path, data)
    table, titles = _find_table(path, document)
    columns = _Columns(titles)
    header = _HEADER.search(_header_text(document))

    def parse(lookups: Lookups, summary: ImportSummary) -> Parsed:
        under_review, number = resolve_review(
            path,
            lookups,
            state=state,
            session=session,
            inferred_state=header.group("state") if header else None,
            inferred_session=int(header.group("session")) if header else None,
            state_hint=_(
                'the page header "UPR of <State> (<N>th Cycle - <M>th Session)" is missing; '
                "pass --state ISO3 and --session N"
            ),
        )
        cycle = lookups.session(number).cycle_id
        if header and int(header.group("cycle")) != cycle:
            summary.warn(
                None,
                _(
                    "the page header says cycle %(header)s, but session %(session)s is in cycle "
                    "%(cycle)s; the session's cycle is used"
                )
                % {"header": header.group("cycle"), "session": number, "cycle": cycle},
            )
        review_id = lookups.review_id(under_review, number)
        drafts, symbols = _parse(path, table, columns, lookups, summary, review_id, cycle, progress)
        return Parsed(drafts, {review_id: symbols} if drafts else {})

    return import_source_file(
        path,
        data,
        kind=SourceKind.OHCHR_DOCX,
        parse=parse,
        unit="row",
        empty_message=_("the table has no recommendations"),
        dry_run=dry_run,
    )
