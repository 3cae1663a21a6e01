"""A UN document's text (extracted from its PDF) → its numbered paragraphs.

Pre-session documents (the national report /1, the UN compilation /2, the stakeholders'
summary /3) number their paragraphs 1, 2, 3 … through the whole document, which is what
evidence cites ("A/HRC/WG.6/50/USA/2, para. 20"). The extracted text is not that tidy:

* page furniture sits between two halves of a paragraph: the job number ("GE.25-13106 (E)
  270825 270825"), the running header (the symbol), the page number, the "issued without formal
  editing" note;
* sub-headings are numbered too ("1. Equality and non-discrimination", "A. …", "II. …"), and
  some are not numbered ("Right to privacy");
* a paragraph may start in the middle of a line ("… Treaties.17 3. Four submissions …");
* footnote numbers are glued to words ("the Covenant.3", "submissions2", "47ERF").

The numbering is what makes this reliable: paragraph numbers only go up by one, and footnote
numbers only go up, so a number that does not continue its sequence is not one of them.
Pure functions of the text: no database, no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DocParagraph", "parse", "strip_footnotes"]


@dataclass(frozen=True)
class DocParagraph:
    """One numbered paragraph: its number, its text (joined, without footnote numbers) and the
    line (1-based, in the text given to :func:`parse`) where it starts."""

    number: int
    text: str
    start_line: int
    #: The heading the paragraph sits under ("Right to health"), and its part ("Background",
    #: "Promotion and protection of human rights"): the document's own theme for it.
    heading: str = ""
    section: str = ""


# --- what is not text ----------------------------------------------------------------------------

_FURNITURE = (
    re.compile(r"^GE\.\d{2}-\d{4,6}\b.*$"),  # job number, with or without "(E) 270825 270825"
    re.compile(r"^A/HRC/[\w./-]+$"),  # running header: the symbol alone on its line
    re.compile(r"^\d{1,3}$"),  # page number
    re.compile(r"^\*\s"),  # "* The present document is being issued without formal editing."
)
# The endnotes close the text: their numbered lines are not paragraphs.
_END = re.compile(r"^(Notes|Endnotes|Annex(es)?)$")

_NUMBERED = re.compile(r"^(?P<number>\d{1,3})\.\s+(?P<rest>\S.*)$")
_SECTION = re.compile(
    r"^(?P<mark>[IVX]{1,6}|[A-H])\.\s+(?P<title>\S.*)$"
)  # "II. Scope", "A. Women"
# A sentence ends with . ! ? (maybe a closing quote or bracket), maybe a footnote number after.
_SENTENCE_END = re.compile(r"""[.!?]["”’')\]]?\d{0,3}$""")
# The most words a sub-heading has ("1. Implementation of international human rights
# obligations, taking into account applicable international humanitarian law": 15).
_HEADING_WORDS = 18
# A paragraph number may skip this many (a start the extraction mangled beyond recognition).
_MAX_SKIP = 2


def _is_furniture(line: str) -> bool:
    return any(pattern.match(line) for pattern in _FURNITURE)


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def _looks_like_heading(line: str) -> bool:
    """Short, no closing full stop, starting with a capital: "Right to health"."""
    line = line.strip()
    return (
        bool(line)
        and line[0].isupper()
        and not _ends_sentence(line)
        and len(line.split()) <= _HEADING_WORDS
    )


def _mid_line_start(number: int) -> re.Pattern[str]:
    # "… Treaties.17 3. Four submissions …": a sentence ends (maybe with its footnote), then
    # exactly the next paragraph number and a capital.
    return re.compile(rf"""(?<=[.!?])["”’')\]]?\d{{0,3}}\s+(?P<n>{number})\.\s+(?=["“]?[A-Z])""")


# --- footnote numbers ----------------------------------------------------------------------------

# Candidates, in the order they appear: glued after a word or punctuation ("Covenant.3",
# "submissions2", "CEDAW;6"), between punctuation and a word ("participation;113cease"), alone
# ("Principles). 11 The", "ICCPR; 12 ICRMW", "poverty 157 and"), or before a word ("47ERF").
_FOOTNOTE = re.compile(
    r"""(?P<glued>(?<=[^\W\d_]|[.,;:)\]"”’'])\d{1,3}(?=$|[\s,;:.)\]]|[A-Z]))"""
    r"""|(?P<between>(?<=[.,;:])\d{1,3}(?=[a-z]))"""
    r"""|(?P<alone>(?<=[^\s\d])\s\d{1,3}(?=\s|$))"""
    r"""|(?P<before>(?<=\s)\d{1,3}(?=[A-Z][A-Za-z]))"""
)
# Two capitals glued to a number is a name, not a footnote: JS15 (joint submission), HR40 (a bill).
_NAME_WITH_NUMBER = re.compile(r"(?:^|[\s(])[A-Z]{1,2}$")
# Footnote numbers go up by one; allow gaps for marks lost in extraction or sitting in headings.
_FOOTNOTE_WINDOW = 8


def strip_footnotes(text: str, last: int = 0) -> tuple[str, int]:
    """Remove the footnote numbers from ``text``, given the last footnote number seen before it.

    A number is a footnote mark only when it continues the footnotes' sequence (``last`` + 1 …
    ``last`` + 8), so "15 men", "section 702" or "JS15" stay. Returns the text and the last
    footnote number in it.
    """
    pieces: list[str] = []
    position = 0
    for match in _FOOTNOTE.finditer(text):
        number = int(match.group(0))
        if not last < number <= last + _FOOTNOTE_WINDOW:
            continue
        if match.group("glued") and _NAME_WITH_NUMBER.search(text[: match.start()]):
            continue
        pieces.append(text[position : match.start()])
        position = match.end()
        last = number
    pieces.append(text[position:])
    cleaned = "".join(pieces)
    cleaned = re.sub(r"\s+([,;:.])", r"\1", cleaned)  # "ICCPR 12 ;" → "ICCPR;"
    cleaned = re.sub(r"\s{2,}", " ", cleaned).strip()
    return cleaned, last


# --- the parser ----------------------------------------------------------------------------------


@dataclass
class _Open:
    number: int
    start_line: int
    parts: list[str]
    heading: str = ""
    section: str = ""

    def add(self, text: str) -> None:
        if self.parts and self.parts[-1].endswith("-") and text[:1].islower():
            # A word cut at the end of a line ("asylum-" / "seekers"): keep the hyphen, no space.
            self.parts[-1] += text
        else:
            self.parts.append(text)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def parse(text: str) -> list[DocParagraph]:
    """The numbered paragraphs of a UN document's text, in order (numbers strictly rising)."""
    found: list[_Open] = []
    current: _Open | None = None
    expected = 1
    heading = section = ""

    def set_heading(title: str, *, part: bool = False) -> None:
        nonlocal heading, section, current
        current = None  # a heading ends the paragraph before it
        heading = re.sub(r"(?<=[^\W\d_])\d{1,3}\b", "", title).strip()  # "obligations3"
        if part:
            section = heading

    def open_paragraph(number: int, line_number: int, rest: str) -> None:
        nonlocal current, expected
        current = _Open(number, line_number, [], heading, section)
        found.append(current)
        expected = number + 1
        add_text(rest, line_number)

    def add_text(piece: str, line_number: int) -> None:
        # A line may hold the end of one paragraph and the start of the next ones.
        while current is not None:
            match = _mid_line_start(expected).search(piece)
            if match is None:
                break
            current.add(piece[: match.start("n")].rstrip())
            piece = piece[match.end() :]
            open_paragraph(int(match.group("n")), line_number, piece)
            return
        if current is not None and piece:
            current.add(piece)

    lines: list[tuple[int, str]] = []
    for index, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or _is_furniture(line):
            continue
        if _END.match(line) and any(_NUMBERED.match(kept) for _i, kept in lines):
            break
        lines.append((index, line))

    for position, (index, line) in enumerate(lines):
        # A short numbered line whose text goes on in lower case on the next line is a
        # paragraph, whatever it looks like ("1. The report says that" / "most of …").
        following = (
            re.sub(r"^\d{1,3}\.\s+", "", lines[position + 1][1])
            if position + 1 < len(lines)
            else ""
        )
        goes_on = following[:1].islower()
        numbered = _NUMBERED.match(line)
        if numbered:
            number = int(numbered.group("number"))
            rest = numbered.group("rest")
            starts = rest[0].isupper() or rest[0] in '"“'  # not "2. of the cases…"
            is_heading = _looks_like_heading(rest) and not goes_on
            if expected <= number <= expected + _MAX_SKIP and starts and not is_heading:
                open_paragraph(number, index, rest)
                continue
            if is_heading:
                set_heading(rest)
                continue
        elif (lettered := _SECTION.match(line)) and _looks_like_heading(line):
            set_heading(lettered.group("title"), part=lettered.group("mark")[0] in "IVX")
            continue
        if current is None:
            if _looks_like_heading(line):
                set_heading(line)
                continue
            # Text outside any paragraph (title page, text under a heading before its first
            # paragraph): only a paragraph starting inside it matters.
            match = _mid_line_start(expected).search(" " + line)
            if match is not None and found:
                open_paragraph(int(match.group("n")), index, (" " + line)[match.end() :])
            continue
        continues = (
            not _ends_sentence(current.text) or line[0].islower() or not _looks_like_heading(line)
        )
        if continues:
            add_text(line, index)
        else:
            set_heading(line)  # an unnumbered sub-heading ("Right to privacy")

    paragraphs: list[DocParagraph] = []
    last_footnote = 0
    for paragraph in found:
        cleaned, last_footnote = strip_footnotes(paragraph.text, last_footnote)
        paragraphs.append(
            DocParagraph(
                paragraph.number,
                cleaned,
                paragraph.start_line,
                paragraph.heading,
                paragraph.section,
            )
        )
    return paragraphs
