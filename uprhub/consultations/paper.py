"""Testimony collected on paper: read and check a CSV file before anything is stored.

Facilitators type paper forms into a spreadsheet with the columns of ``COLUMNS`` and save it as
CSV. :func:`parse` turns the file into :class:`PaperTestimony` rows, or raises
:class:`PaperImportError` with *every* problem it found (line number, column, a plain message),
so a facilitator can fix the whole file in one go. Nothing is returned when anything is wrong:
the import command stores all the rows or none.

Caveats, on purpose:

* The text is returned as written (only surrounding blanks trimmed and line breaks made ``\\n``):
  HTML or script in it is plain text here, and escaping stays the templates' and exporters' job.
* Messages never repeat a name, e-mail address, phone number or testimony text, since they
  end up in terminals and logs; they quote only dates, flags, languages and theme names.
* Dates written with slashes are read day first (14/03/2025), as on most paper forms outside
  the United States; ``03/14/2025`` is reported as a bad date rather than guessed.
* The file must be UTF-8 (with or without a byte-order mark). UTF-16 and Latin-1/Windows-1252
  files, which spreadsheets still write by default, get a message saying how to save as UTF-8.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.timezone import get_default_timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COLUMNS = (
    "submitted_at",
    "language",
    "text",
    "name",
    "email",
    "phone",
    "consent_quote",
    "consent_named",
    "consent_contact",
    "risk",
    "themes",
)
FLAG_COLUMNS = ("consent_quote", "consent_named", "consent_contact", "risk")
MAX_TEXT = 10_000
#: Identity fields are short; a longer value is a cell typed in the wrong column.
MAX_NAME = 200
MAX_EMAIL = 254  # RFC 5321's limit on a path
MAX_PHONE = 50
#: ``str(error)`` lists this many problems; ``error.problems`` keeps them all.
SHOWN_PROBLEMS = 50

# Compared after casefolding and removing accents, so "SÍ", "Si" and "sí" are the same answer.
_YES = frozenset({"yes", "y", "true", "1", "si", "oui"})
_NO = frozenset({"no", "n", "false", "0", "non", ""})
_DAY_FIRST = re.compile(
    r"^(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})"
    r"(?:[ T]+(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?$"
)
# Control characters (Unicode category Cc: C0, DEL and C1) other than tab and newline. C1 ones
# (U+0080-U+009F) are what Windows-1252 punctuation becomes when mis-decoded, so they are caught.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class PaperTestimony:
    """One checked row. Identity fields stay out of ``repr`` so they never reach a log."""

    line: int
    submitted_at: datetime
    language: str
    text: str = field(repr=False)
    name: str = field(repr=False)
    email: str = field(repr=False)
    phone: str = field(repr=False)
    consent_quote: bool
    consent_named: bool
    consent_contact: bool
    risk: bool
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (line, column) and what, in the active language."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.column:
            return _("Line %(line)s, column “%(column)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line is not None:
            return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


class PaperImportError(ValueError):
    """The file cannot be imported; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        lines = [
            ngettext(
                "The file has %(count)s problem:",
                "The file has %(count)s problems:",
                count,
            )
            % {"count": count}
        ]
        lines += [f"- {problem}" for problem in self.problems[:SHOWN_PROBLEMS]]
        if count > SHOWN_PROBLEMS:
            hidden = count - SHOWN_PROBLEMS
            lines.append(
                ngettext(
                    "… and %(count)s more problem.",
                    "… and %(count)s more problems.",
                    hidden,
                )
                % {"count": hidden}
            )
        return "\n".join(lines)


def parse(
    data: bytes | str,
    *,
    languages: Collection[str],
    themes: Mapping[str, str] | Collection[str],
    max_text: int = MAX_TEXT,
    timezone: tzinfo | str | None = None,
    now: datetime | None = None,
) -> list[PaperTestimony]:
    """Read a paper-forms CSV file; raise :class:`PaperImportError` listing every problem.

    ``languages``: the consultation's language codes. ``themes``: the known UPR Info issue
    names, or a mapping from any accepted name (e.g. Spanish and French ones) to the canonical
    name (the canonical names, the mapping's values, are always accepted). ``timezone``: the
    consultation's, for dates written without an offset (default: the site's). ``now``: dates
    more than a day after it are refused as typing mistakes (default: the current time).
    """
    text = _decode(data)
    if not text.strip():
        raise PaperImportError([Problem(None, None, _("The file is empty."))])
    zone = _zone(timezone)
    reader = _Reader(
        languages=languages,
        themes=themes,
        max_text=max_text,
        zone=zone,
        latest=(now or datetime.now(zone)) + timedelta(days=1),
    )
    return reader.read(text)


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(data):
        raise PaperImportError(
            [
                Problem(
                    None,
                    None,
                    _(
                        "The file is in UTF-16, not UTF-8. In your spreadsheet, save it again "
                        "as “CSV UTF-8 (comma delimited)”."
                    ),
                )
            ]
        )
    if data.startswith(b"PK\x03\x04"):
        raise PaperImportError(
            [
                Problem(
                    None,
                    None,
                    _(
                        "This is a spreadsheet workbook, not a CSV file. In your spreadsheet, "
                        "save it as “CSV UTF-8 (comma delimited)”."
                    ),
                )
            ]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        if b"\x00" in data:
            message = _("The file is not text (it contains binary data); is it a CSV file?")
        else:
            message = _(
                "The file is not in UTF-8 (it looks like Latin-1 or Windows-1252, which "
                "some spreadsheets use by default). In your spreadsheet, save it again as "
                "“CSV UTF-8 (comma delimited)”."
            )
        raise PaperImportError([Problem(line, None, message)]) from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte of ASCII text is zero (either order)."""
    sample = data[:200]
    half = len(sample) // 4
    return len(sample) >= 4 and (sample[0::2].count(0) > half or sample[1::2].count(0) > half)


def _zone(timezone: tzinfo | str | None) -> tzinfo:
    if timezone is None:
        return get_default_timezone()
    return ZoneInfo(timezone) if isinstance(timezone, str) else timezone


def _fold(value: str) -> str:
    """Casefolded, without accents: how flags and theme names are compared."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _theme_key(value: str) -> str:
    """Also ignores punctuation and spacing, so "HIV/AIDS" finds "HIV - Aids"."""
    return " ".join(re.sub(r"[\W_]+", " ", _fold(value)).split())


def _header_key(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().casefold())


class _Reader:
    def __init__(
        self,
        *,
        languages: Collection[str],
        themes: Mapping[str, str] | Collection[str],
        max_text: int,
        zone: tzinfo,
        latest: datetime,
    ) -> None:
        self.languages = {code.strip().lower().replace("_", "-"): code for code in languages}
        names: dict[str, str] = {}  # the name as written in the list -> canonical name
        if isinstance(themes, Mapping):
            names.update({str(canonical): str(canonical) for canonical in themes.values()})
            names.update({str(alias): str(canonical) for alias, canonical in themes.items()})
        else:
            names.update({str(name): str(name) for name in themes})
        self.theme_names = {_theme_key(alias): alias for alias in names}
        self.themes = {_theme_key(alias): canonical for alias, canonical in names.items()}
        self.max_text = max_text
        self.zone = zone
        self.latest = latest
        self.problems: list[Problem] = []

    def problem(self, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(line, column, message))

    # The file -----------------------------------------------------------------------------

    def read(self, text: str) -> list[PaperTestimony]:
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[PaperTestimony] = []
        previous_end = 0
        try:
            header = next(reader)
            positions = self.header(header)
            if positions is None:
                raise PaperImportError(self.problems)
            previous_end = reader.line_num
            for cells in reader:
                # A quoted cell can span lines: the row starts after the previous one ended.
                line, previous_end = previous_end + 1, reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue  # blank lines and rows a spreadsheet left empty
                row = self.row(line, cells, len(header), positions)
                if row is not None:
                    rows.append(row)
        except csv.Error:
            # Only a cell over the csv module's size limit gets here (an unclosed quote is
            # reported as a short row); the reader cannot carry on past it.
            self.problem(
                previous_end + 1,
                None,
                _(
                    "A cell is far too long to be read (over 131,072 characters); "
                    "is a closing quotation mark missing?"
                ),
            )
        if not rows and not self.problems:
            self.problem(None, None, _("The file has a header line but no testimony."))
        if self.problems:
            raise PaperImportError(self.problems)
        return rows

    def header(self, header: list[str]) -> dict[str, int] | None:
        """Column positions, or None when the first line is not a header at all."""
        positions: dict[str, int] = {}
        unknown: list[str] = []
        for position, cell in enumerate(header):
            key = _header_key(cell)
            if key in COLUMNS:
                if key in positions:
                    self.problem(
                        1, None, _("The column “%(column)s” appears twice.") % {"column": key}
                    )
                else:
                    positions[key] = position
            elif key:
                unknown.append(cell.strip())
        # Fewer than half the names known: the first line is data (or another file's header),
        # and checking rows against it would only bury that one message under noise.
        if len(positions) * 2 < len(COLUMNS):
            self.problem(
                1,
                None,
                _(
                    "The first line must name the columns, separated by commas or "
                    "semicolons: %(columns)s."
                )
                % {"columns": ",".join(COLUMNS)},
            )
            return None
        for cell in unknown:
            close = difflib.get_close_matches(_header_key(cell), COLUMNS, n=1)
            if close:
                message = _("Unknown column “%(column)s”; did you mean “%(suggestion)s”?") % {
                    "column": cell,
                    "suggestion": close[0],
                }
            else:
                message = _("Unknown column “%(column)s”.") % {"column": cell}
            self.problem(1, None, message)
        missing = [column for column in COLUMNS if column not in positions]
        if missing:
            self.problem(
                1,
                None,
                ngettext(
                    "A column is missing: %(columns)s.",
                    "Columns are missing: %(columns)s.",
                    len(missing),
                )
                % {"columns": ", ".join(missing)},
            )
        return positions

    # One row ------------------------------------------------------------------------------

    def row(
        self, line: int, cells: list[str], width: int, positions: dict[str, int]
    ) -> PaperTestimony | None:
        if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
            cells = cells[:width]  # empty cells a spreadsheet added at the end
        if len(cells) != width:
            self.problem(
                line,
                None,
                _(
                    "This row has %(found)s cells but the header has %(expected)s. A text "
                    "with a comma, semicolon, quotation mark or line break must be in double "
                    "quotes (and a quotation mark inside it doubled)."
                )
                % {"found": len(cells), "expected": width},
            )
            return None
        before = len(self.problems)
        values = {column: cells[position] for column, position in positions.items()}
        for column, value in values.items():
            if _CONTROL.search(value.replace("\r\n", "\n").replace("\r", "\n")):
                self.problem(
                    line,
                    column,
                    _(
                        "This cell contains control or binary characters (only line breaks "
                        "and tabs are allowed)."
                    ),
                )
        clean = {
            column: value.replace("\r\n", "\n").replace("\r", "\n").strip()
            for column, value in values.items()
        }
        submitted_at = self.date(line, clean.get("submitted_at"))
        language = self.language(line, clean.get("language"))
        text = self.text(line, clean.get("text"))
        name = self.short(line, "name", clean.get("name", ""), MAX_NAME)
        email = self.email(line, clean.get("email", ""))
        phone = self.short(line, "phone", clean.get("phone", ""), MAX_PHONE)
        flags = {column: self.flag(line, column, clean.get(column, "")) for column in FLAG_COLUMNS}
        themes = self.theme_list(line, clean.get("themes", ""))
        if "@" in name:
            self.problem(
                line,
                "name",
                _("This looks like an e-mail address; put it in the “email” column."),
            )
        if len(self.problems) > before or submitted_at is None or language is None:
            return None
        return PaperTestimony(
            line=line,
            submitted_at=submitted_at,
            language=language,
            text=text,
            name=name,
            email=email,
            phone=phone,
            consent_quote=flags["consent_quote"],
            consent_named=flags["consent_named"],
            consent_contact=flags["consent_contact"],
            risk=flags["risk"],
            themes=themes,
        )

    def date(self, line: int, value: str | None) -> datetime | None:
        if value is None:
            return None  # missing column, reported with the header
        if not value:
            self.problem(line, "submitted_at", _("The date is missing."))
            return None
        moment = _read_date(value)
        if moment is None:
            self.problem(
                line,
                "submitted_at",
                _(
                    "“%(value)s” is not a date. Write it as 2025-03-14, 2025-03-14 18:30 "
                    "or 14/03/2025 (day first)."
                )
                % {"value": value[:40]},
            )
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        if moment > self.latest:
            self.problem(
                line,
                "submitted_at",
                _("The date %(value)s is in the future.") % {"value": value[:40]},
            )
            return None
        return moment

    def language(self, line: int, value: str | None) -> str | None:
        if value is None:
            return None
        if not value and len(self.languages) == 1:
            return next(iter(self.languages.values()))  # one language: nothing to choose
        code = self.languages.get(value.lower().replace("_", "-"))
        if code is None:
            known = ", ".join(sorted(self.languages.values()))
            if value:
                message = _(
                    "Unknown language “%(value)s”; this consultation's languages are %(known)s."
                ) % {"value": value[:40], "known": known}
            else:
                message = _(
                    "The language is missing; this consultation's languages are %(known)s."
                ) % {"known": known}
            self.problem(line, "language", message)
        return code

    def text(self, line: int, value: str | None) -> str:
        if value is None:
            return ""
        if not value:
            self.problem(line, "text", _("The text is empty."))
        elif len(value) > self.max_text:
            self.problem(
                line,
                "text",
                _("The text has %(count)s characters; the limit is %(limit)s.")
                % {"count": len(value), "limit": self.max_text},
            )
        return value

    def short(self, line: int, column: str, value: str, limit: int) -> str:
        if len(value) > limit:
            self.problem(
                line,
                column,
                _("This cell has %(count)s characters; the limit is %(limit)s.")
                % {"count": len(value), "limit": limit},
            )
        return value

    def email(self, line: int, value: str) -> str:
        if not value:
            return value
        try:
            validate_email(value)
        except ValidationError:
            # The address itself is not repeated: messages end up in logs.
            self.problem(line, "email", _("This is not a valid e-mail address."))
        return value

    def flag(self, line: int, column: str, value: str) -> bool:
        answer = _fold(value)
        if answer in _YES:
            return True
        if answer not in _NO:
            self.problem(
                line,
                column,
                _("“%(value)s” is not yes or no (write yes, no, or leave the cell empty).")
                % {"value": value[:40]},
            )
        return False

    def theme_list(self, line: int, value: str) -> tuple[str, ...]:
        found: list[str] = []
        for written in (part.strip() for part in value.split(";")):
            if not written:
                continue
            key = _theme_key(written)
            canonical = self.themes.get(key)
            if canonical is None:
                close = difflib.get_close_matches(key, self.theme_names, n=1, cutoff=0.6)
                if close:
                    message = _("Unknown theme “%(value)s”; did you mean “%(suggestion)s”?") % {
                        "value": written[:80],
                        "suggestion": self.theme_names[close[0]],
                    }
                else:
                    message = _(
                        "Unknown theme “%(value)s”; use UPR Info issue names separated by “;”."
                    ) % {"value": written[:80]}
                self.problem(line, "themes", message)
            elif canonical not in found:
                found.append(canonical)
        return tuple(found)


def _read_date(value: str) -> datetime | None:
    """An ISO date or date-time (any offset kept), or a day-first date with an optional time."""
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    match = _DAY_FIRST.match(value)
    if match is None:
        return None
    parts = {name: int(number) for name, number in match.groupdict(default="0").items()}
    try:
        return datetime.combine(
            date(parts["year"], parts["month"], parts["day"]),
            time(parts["hour"], parts["minute"], parts["second"]),
        )
    except ValueError:
        return None
