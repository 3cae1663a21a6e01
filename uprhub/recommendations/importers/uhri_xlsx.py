"""UHRI (Universal Human Rights Index) Excel exports (.xlsx).

Columns: Text, Countries Concerned, Recommending Body, UPR Recommending States, UPR Position,
Themes, Affected Persons, SDGs, Document Symbol, Document Publication Date, OHCHR Annotation Id,
UPR Session. Multi-value cells are dash-led lists ("- Spain\\n- France"); dates are Excel serial
numbers. An export may mix bodies (treaty bodies, special procedures): only UPR rows are
imported, the others are counted in one warning. Themes and affected persons go to the OHCHR
vocabularies of the cycle of each row's UPR session. Errors name the spreadsheet row.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import (
    ImportFailed,
    ImportSummary,
    Progress,
    Ticker,
    read_bytes,
)
from uprhub.recommendations.importers.lookups import (
    Lookups,
    ohchr_groups_slug,
    ohchr_themes_slug,
)
from uprhub.recommendations.importers.pipeline import Parsed, import_source_file
from uprhub.recommendations.importers.sync import (
    RecDraft,
    make_keys_unique,
)
from uprhub.recommendations.importers.text import (
    clean_text,
    dash_list,
    map_position,
    parse_session,
    sdg_number,
    split_paragraph,
    split_recommenders,
    split_theme_code,
    text_key,
)
from uprhub.recommendations.models import Position, SourceKind

REQUIRED = (
    "Text",
    "Countries Concerned",
    "UPR Recommending States",
    "UPR Position",
    "UPR Session",
)
OPTIONAL = (
    "Recommending Body",
    "Themes",
    "Affected Persons",
    "SDGs",
    "Document Symbol",
    "Document Publication Date",
    "OHCHR Annotation Id",
)
UPR_BODIES = {"upr", "universal periodic review", "upr working group"}
HEADER_SEARCH_ROWS = 10
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (it believes 1900 was a leap year)
UHRI_POSITIONS = "Supported, Noted, Supported/Noted, Pending"


def excel_date(value: object) -> dt.date | None:
    """A date from an Excel serial (45530), a datetime cell, or ISO text; ``None`` if none."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    text = str(value).strip()
    try:
        return excel_date(float(text))
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _open(path: Path, data: bytes):
    from openpyxl import load_workbook  # imported here so the CSV importers do not pay for it

    if not data.strip():
        raise ImportFailed(path, None, _("the file is empty"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFailed(
            path,
            None,
            _(
                "not an Excel .xlsx file (an .xlsx is a zip archive; this one is not, or is "
                "truncated; an old .xls file must be re-saved as .xlsx)"
            ),
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors alike
        raise ImportFailed(
            path,
            None,
            _("not a readable Excel .xlsx file (%(error)s)") % {"error": exc or type(exc).__name__},
        ) from None


def _rows(path: Path, sheet) -> Iterator[tuple[int, tuple]]:
    """(spreadsheet row number, values); a damaged sheet becomes an error naming the row."""
    number = 0
    try:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):  # noqa: B007
            yield number, values
    except Exception as exc:
        raise ImportFailed(
            path,
            number + 1,
            _("the spreadsheet is damaged and cannot be read from here on (%(error)s)")
            % {"error": exc or type(exc).__name__},
            unit="row",
        ) from None


def _header(path: Path, rows: Iterator[tuple[int, tuple]]) -> tuple[int, dict[str, int]]:
    """Find the column titles (within the first rows: exports sometimes start with a title)."""
    first: tuple[int, tuple] | None = None
    for number, values in rows:
        titles = {clean_text(str(v)).casefold(): i for i, v in enumerate(values) if v is not None}
        if first is None:
            first = (number, values)
        if "text" in titles and "upr position" in titles:
            columns = {
                c: titles[c.casefold()] for c in (*REQUIRED, *OPTIONAL) if c.casefold() in titles
            }
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise ImportFailed(
                    path,
                    number,
                    _("missing column(s) %(missing)s")
                    % {"missing": ", ".join(f'"{c}"' for c in missing)},
                    unit="row",
                )
            return number, columns
        if number >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise ImportFailed(path, None, _("the spreadsheet is empty"))
    found = [clean_text(str(v)) for v in first[1] if v is not None]
    missing = [c for c in REQUIRED if c not in found]
    raise ImportFailed(
        path,
        first[0],
        _("missing column(s) %(missing)s; the first row has %(found)s")
        % {
            "missing": ", ".join(f'"{c}"' for c in missing),
            "found": ", ".join(f'"{h}"' for h in found) or _("nothing"),
        },
        unit="row",
    )


def _cell(values: tuple, columns: dict[str, int], name: str) -> object:
    i = columns.get(name)
    return values[i] if i is not None and i < len(values) else None


def _text(values: tuple, columns: dict[str, int], name: str) -> str:
    value = _cell(values, columns, name)
    return "" if value is None else str(value).strip()


def _parse(
    path: Path,
    rows: Iterator[tuple[int, tuple]],
    columns: dict[str, int],
    lookups: Lookups,
    summary: ImportSummary,
    total: int,
    progress: Progress | None,
) -> tuple[list[RecDraft], dict[int, Counter]]:
    ticker = Ticker(progress, total)
    drafts: dict[tuple[int, str], RecDraft] = {}
    symbols: dict[int, Counter] = {}
    skipped = 0
    for number, values in rows:
        ticker.tick()
        if not any(v not in (None, "") for v in values):
            continue
        body = _text(values, columns, "Recommending Body")
        if body and body.casefold() not in UPR_BODIES:
            skipped += 1
            continue
        summary.rows += 1
        raw_text = _text(values, columns, "Text")
        if not raw_text:
            raise ImportFailed(path, number, _("the Text cell is empty"), unit="row")
        session_value = _cell(values, columns, "UPR Session")
        session = parse_session(session_value)
        if session is None:
            raise ImportFailed(
                path,
                number,
                _("UPR Session %(value)r is not a Working Group session number")
                % {"value": session_value},
                unit="row",
            )
        countries = dash_list(_cell(values, columns, "Countries Concerned"))
        if not countries:
            raise ImportFailed(path, number, _("Countries Concerned is empty"), unit="row")
        if len(countries) > 1:
            summary.warn(
                number,
                _("several Countries Concerned (%(names)s): the first is the State under review")
                % {"names": ", ".join(countries)},
            )
        published = _text(values, columns, "UPR Position")
        position = map_position(published) if published else Position.PENDING
        if position is None:
            raise ImportFailed(
                path,
                number,
                _("unknown UPR Position %(value)r (expected one of: %(known)s)")
                % {"value": published, "known": UHRI_POSITIONS},
                unit="row",
            )
        state = lookups.state(countries[0], number)
        review_id = lookups.review_id(state, session)
        cycle = lookups.session(session).cycle_id
        paragraph, text = split_paragraph(clean_text(raw_text))
        text, _names = split_recommenders(text, lookups.is_known_state, trust_last=False)
        key = text_key(text)
        merge_key = paragraph or key
        draft = drafts.get((review_id, merge_key))
        if draft is None:
            draft = drafts[(review_id, merge_key)] = RecDraft(
                review_id=review_id,
                text=text,
                key=key,
                source_row=number,
                position=position,
                position_as_published=published,
                paragraph=paragraph,
            )
        elif draft.position != position:
            summary.warn(
                number,
                _("same recommendation as row %(first)s but position %(this)r; the first is kept")
                % {"first": draft.source_row, "this": published},
            )
        names = dash_list(_cell(values, columns, "UPR Recommending States"))
        if not names:
            summary.warn(number, _("no UPR Recommending States: recorded as Unknown"))
            draft.add_recommender(lookups.unknown_state.pk, "", number)
        for name in names:
            draft.add_recommender(lookups.state(name, number).pk, name, number)
        for item in dash_list(_cell(values, columns, "Themes")):
            code, name = split_theme_code(item)
            draft.add_label(lookups.theme_id(ohchr_themes_slug(cycle), name, code), number)
        for item in dash_list(_cell(values, columns, "Affected Persons")):
            draft.add_label(lookups.theme_id(ohchr_groups_slug(cycle), clean_text(item)), number)
        for item in dash_list(_cell(values, columns, "SDGs")):
            goal = sdg_number(item)
            if goal is None:
                summary.warn(number, _("%(value)r is not an SDG goal") % {"value": item})
            else:
                draft.add_label(lookups.sdg_id(goal), number)
        symbol = _text(values, columns, "Document Symbol")
        if symbol:
            symbols.setdefault(review_id, Counter())[symbol] += 1
        published_on = _cell(values, columns, "Document Publication Date")
        if published_on not in (None, "") and excel_date(published_on) is None:
            summary.warn(
                number,
                _("Document Publication Date %(value)r is not a date") % {"value": published_on},
            )
    ticker.finish()
    if skipped:
        summary.warn(
            None,
            _(
                "%(n)s rows of other bodies than the UPR (treaty bodies, special procedures) were "
                "skipped"
            )
            % {"n": skipped},
        )
    result = list(drafts.values())
    make_keys_unique(result)
    return result, symbols


def import_uhri_xlsx(
    path: str | Path, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportSummary:
    """Import a UHRI Excel export (see the module docstring)."""
    path = Path(path)
    data = read_bytes(path)
    workbook = _open(path, data)
    try:
        sheet = workbook.worksheets[0]
        total = max((sheet.max_row or 1) - 1, 1)
        rows = _rows(path, sheet)
        _header_row, columns = _header(path, rows)

        def parse(lookups: Lookups, summary: ImportSummary) -> Parsed:
            drafts, symbols = _parse(path, rows, columns, lookups, summary, total, progress)
            return Parsed(drafts, symbols if drafts else {})

        return import_source_file(
            path,
            data,
            kind=SourceKind.UHRI_XLSX,
            parse=parse,
            unit="row",
            empty_message=_("the spreadsheet has no UPR recommendations"),
            dry_run=dry_run,
        )
    finally:
        workbook.close()
