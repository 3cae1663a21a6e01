"""Reading a CSV file strictly: UTF-8 or a clear error, known columns, line-numbered rows.

Everything here happens before the database is touched, so a file with a bad header or a bad
encoding fails fast and identically whatever state the database is in.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import ImportFailed

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _line_of_offset(data: bytes, offset: int) -> int:
    """1-based line number of a byte offset, for LF, CRLF and old Mac CR line endings alike."""
    prefix = data[:offset]
    crlf = prefix.count(b"\r\n")
    return prefix.count(b"\n") + prefix.count(b"\r") - crlf + 1


def decode_utf8(path: str | Path, data: bytes) -> str:
    """The text of a UTF-8 file (a byte-order mark is allowed), or an error naming the line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(
            path,
            1,
            _('UTF-16 ("Unicode text" in Excel), not UTF-8: re-save the file as "CSV UTF-8"'),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = _line_of_offset(data, exc.start)
        raise ImportFailed(
            path,
            line,
            _(
                "not UTF-8 (byte 0x%(byte)02X cannot be read); the file is probably in Latin-1 or "
                "Mac Roman: re-save it as UTF-8"
            )
            % {"byte": data[exc.start]},
        ) from None


@dataclass
class CsvTable:
    """A decoded CSV file whose header has been checked. Iterate :meth:`rows` for the data."""

    path: Path
    text: str
    header: list[str]
    columns: dict[str, int]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def estimated_rows(self) -> int:
        """For progress bars: line breaks in the file (exact when no cell holds a line break)."""
        return max(self.text.count("\n") + self.text.count("\r") - self.text.count("\r\n") - 1, 1)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the row starts, cells) for every non-blank data row."""
        reader = csv.reader(io.StringIO(self.text, newline=""))
        width = len(self.header)
        try:
            next(reader)  # the header, checked in read_csv()
            while True:
                line = reader.line_num + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                if not cells or not any(c.strip() for c in cells):
                    continue  # blank line
                if len(cells) != width:
                    raise ImportFailed(
                        self.path,
                        line,
                        _(
                            "expected %(expected)s fields, found %(found)s (a missing field, or "
                            "an unquoted comma or quote?)"
                        )
                        % {"expected": width, "found": len(cells)},
                    )
                yield line, cells
        except csv.Error as exc:
            raise ImportFailed(
                self.path, reader.line_num, _("not valid CSV (%(error)s)") % {"error": exc}
            ) from None


def read_csv(
    path: str | Path, data: bytes, *, required: Sequence[str], optional: Sequence[str] = ()
) -> CsvTable:
    """Decode ``data`` and check its header: every ``required`` column must be there.

    Column names are matched ignoring case and surrounding spaces. An empty file or one with a
    header but no rows is an error too: importing it would silently do nothing.
    """
    path = Path(path)
    text = decode_utf8(path, data)
    if not text.strip():
        raise ImportFailed(path, None, _("the file is empty"))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise ImportFailed(path, 1, _("not valid CSV (%(error)s)") % {"error": exc}) from None
    folded = {h.casefold(): i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in required if c.casefold() not in folded]
    if missing:
        raise ImportFailed(
            path,
            1,
            _("missing column(s) %(missing)s; the header has %(found)s")
            % {
                "missing": ", ".join(f'"{c}"' for c in missing),
                "found": ", ".join(f'"{h}"' for h in header) or _("nothing"),
            },
        )
    columns = {c: folded[c.casefold()] for c in (*required, *optional) if c.casefold() in folded}
    table = CsvTable(path=path, text=text, header=header, columns=columns)
    if not any(True for _row in _non_blank(reader)):
        raise ImportFailed(path, 1, _("the file has a header but no rows"))
    return table


def _non_blank(reader) -> Iterator[list[str]]:
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                yield cells
                return
    except csv.Error:
        yield []  # malformed, but there is data: rows() reports the error with its line
