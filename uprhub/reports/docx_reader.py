"""Read a Word draft (.docx) into a `ReportDocument`, so the validator can check it.

Used by ``uprhub report validate FILE.docx`` and the web upload. What it understands:

* body paragraphs in order (empty ones skipped); headings (Heading/Title styles, or an
  outline level) start sections; a table's text is added to the paragraph before it, so it
  counts as words but not as an unnumbered paragraph;
* numbering: Word list numbering (``w:numPr`` on the paragraph or its style, decimal
  formats; bullets are not numbers) and typed numbers ("1.", "12)"), which are taken off the
  text but kept as `Paragraph.typed_number`, because Word counts a typed number as a word
  (and automatic numbering as none); bullet items, sub-levels and typed "(a)", "ii)", "•"
  items join the paragraph before them;
* real footnotes and endnotes (``word/footnotes.xml`` / ``endnotes.xml``) at their
  references; tracked deletions and field instructions are not text (Word does not count
  them either);
* the front matter before the text (`docx_structure`, `front_matter`): our own exports'
  cover block and organisations list (styles "UPR Cover" and "UPR Organisation"), so a
  report exported here and uploaded again validates the same, and real drafts' title naming
  the State, session line, "Submitted by the Coalition X (JS): Org A (City); …", "Key
  words: …" and contact lines.

Untrusted input: the file is size-checked, must be a ZIP whose ``[Content_Types].xml``
declares a WordprocessingML main part, and, from the ZIP directory alone before anything is
unpacked, its total uncompressed size, each XML part's size (20 MB) and compression ratio are
capped (a ZIP bomb guard). The XML is then parsed in a separate process with memory, CPU,
wall-clock and paragraph-count limits (`docx_sandbox`). python-docx parses XML without
resolving entities. Anything else raises `DocxRejected` with a message for the user.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from . import docx_sandbox, docx_structure, layout
from .document import (
    CoverInformation,
    Footnote,
    ReportDocument,
    SubmissionType,
)
from .docx_errors import DocxRejected, TooManyParagraphs  # noqa: F401  (callers import them from here)
from .docx_structure import Line

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Text, styles and a few images of a long report stay far below this once unpacked.
DEFAULT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
# One XML part (the body, footnotes, styles…) of a 100-page report is a few MB at most; lxml
# needs roughly ten times a part's size in memory, so this also bounds the parse.
DEFAULT_MAX_XML_PART_BYTES = 20 * 1024 * 1024
# Word's XML deflates 5–20 times; only made-up files reach hundreds. Checked on parts large
# enough to matter, so a tiny, very repetitive part does not trip it.
MAX_XML_RATIO = 100
_RATIO_FLOOR_BYTES = 2 * 1024 * 1024

_WORD_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_MACRO_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_TAGS = (
    f"{W}t",
    f"{W}tab",
    f"{W}br",
    f"{W}cr",
    f"{W}noBreakHyphen",
    f"{W}footnoteReference",
    f"{W}endnoteReference",
)
_PARAGRAPH_NUMBER_FORMATS = frozenset({"decimal", "decimalZero", "decimalFullWidth"})
_MANUAL_NUMBER = re.compile(r"^\s*(\d{1,4})\s*[.)](?:\s+|$)")
# Typed list items inside a paragraph: "(a)", "b)", "(iv)", bullets and dashes.
_HEADING_NAME = re.compile(r"^(?:heading|titre|título|titulo|überschrift)\s*(\d)$", re.I)
_TYPED_ITEM = re.compile(r"^\s*(?:\(?(?:[a-z]|[ivx]{1,4})\)|[•·▪◦‣●○■□➢►–—*-])(?:\s+|$)")


def max_upload_bytes() -> int:
    return int(getattr(settings, "UPRHUB_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_uncompressed_bytes() -> int:
    return int(
        getattr(settings, "UPRHUB_UPLOAD_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)
    )


def max_xml_part_bytes() -> int:
    return int(getattr(settings, "UPRHUB_UPLOAD_MAX_XML_PART_BYTES", DEFAULT_MAX_XML_PART_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def _too_big(size: int | None, limit: int) -> DocxRejected:
    if size is None:
        return DocxRejected(
            _("The file is larger than %(limit)s MB, the largest we accept.")
            % {"limit": _megabytes(limit)}
        )
    return DocxRejected(
        _("The file is %(size)s MB; the largest we accept is %(limit)s MB.")
        % {"size": _megabytes(size), "limit": _megabytes(limit)}
    )


# --------------------------------------------------------------------------------------------
# Type and size checks


def _reject_by_magic(head: bytes) -> None:
    if head.startswith(b"PK\x03\x04"):
        return
    if head.startswith(b"%PDF"):
        raise DocxRejected(
            _("This is a PDF file. OHCHR asks for Word: upload the .docx version of the report.")
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocxRejected(
            _(
                "This is an old Word 97–2003 (.doc) file. Open it in Word and save it as a "
                ".docx document, then upload that."
            )
        )
    if head.startswith(b"{\\rtf"):
        raise DocxRejected(_("This is an RTF file. Save it as a Word .docx document first."))
    if not head:
        raise DocxRejected(_("The file is empty."))
    raise DocxRejected(
        _("This file is not a Word document (.docx). Save the report from Word as .docx.")
    )


def check_docx_bytes(data: bytes) -> zipfile.ZipFile:
    """Raise `DocxRejected` unless `data` is a readable, reasonably sized .docx; return its ZIP."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise _too_big(len(data), limit)
    _reject_by_magic(data[:8])
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise DocxRejected(
            _("The file is damaged: it is not a complete Word document. Save it again and retry.")
        ) from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DocxRejected(_("The file holds too many parts to be a Word report."))
    # Header sizes are what zipfile enforces while reading, so their sum bounds the unpacking.
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_uncompressed_bytes():
        raise DocxRejected(
            _("The file unpacks to %(size)s MB, far more than a report: it was not accepted.")
            % {"size": _megabytes(unpacked)}
        )
    _check_xml_parts(entries)
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError as exc:
        raise DocxRejected(
            _("This ZIP file is not a Word document (.docx). Save the report from Word as .docx.")
        ) from exc
    except Exception as exc:  # noqa: BLE001 — zlib.error, EOFError, bad CRC… all mean damaged
        raise DocxRejected(
            _("The file is damaged: it is not a complete Word document. Save it again and retry.")
        ) from exc
    if any(kind in content_types for kind in _WORD_MAIN_TYPES):
        return archive
    if any(kind in content_types for kind in _MACRO_TYPES):
        raise DocxRejected(
            _("This Word file contains macros (.docm). Save it as a plain .docx document.")
        )
    if "spreadsheetml" in content_types:
        raise DocxRejected(_("This is an Excel workbook, not a Word document."))
    if "presentationml" in content_types:
        raise DocxRejected(_("This is a PowerPoint presentation, not a Word document."))
    if "opendocument" in content_types or "mimetype" in archive.namelist():
        raise DocxRejected(_("This is an OpenDocument file. Save it as a Word .docx document."))
    raise DocxRejected(
        _("This file is not a Word document (.docx). Save the report from Word as .docx.")
    )


def _check_xml_parts(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse XML parts too big to parse safely, from the ZIP directory alone (nothing unpacked)."""
    part_limit = max_xml_part_bytes()
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels")):
            continue  # images and fonts are never parsed
        if entry.file_size > part_limit:
            raise DocxRejected(
                _(
                    "The part %(part)s of this file unpacks to %(size)s MB of text markup; "
                    "the largest we check is %(limit)s MB. A real report is far smaller: "
                    "the file was not accepted."
                )
                % {
                    "part": entry.filename,
                    "size": _megabytes(entry.file_size),
                    "limit": _megabytes(part_limit),
                }
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_XML_RATIO:
            raise DocxRejected(
                _(
                    "The part %(part)s of this file is compressed %(ratio)s times, which no "
                    "Word document is: the file was not accepted."
                )
                % {"part": entry.filename, "ratio": int(ratio)}
            )


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_big(None, limit)
    return data


def load_bytes(source: bytes | str | Path | IO[bytes]) -> bytes:
    """The file's bytes, refusing anything over the upload limit before reading it whole."""
    limit = max_upload_bytes()
    if isinstance(source, bytes | bytearray):
        if len(source) > limit:
            raise _too_big(len(source), limit)
        return bytes(source)
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limit:
                raise _too_big(size, limit)
            with path.open("rb") as handle:
                return _read_limited(handle, limit)
        except IsADirectoryError as exc:
            raise DocxRejected(_("%(name)s is a folder, not a file.") % {"name": path}) from exc
        except FileNotFoundError as exc:
            raise DocxRejected(_("No file at %(name)s.") % {"name": path}) from exc
        except PermissionError as exc:
            raise DocxRejected(_("%(name)s cannot be read.") % {"name": path}) from exc
    size = getattr(source, "size", None)  # a Django UploadedFile knows its size up front
    if isinstance(size, int) and size > limit:
        raise _too_big(size, limit)
    return _read_limited(source, limit)


# --------------------------------------------------------------------------------------------
# Numbering and styles


@dataclass
class _Numbering:
    """What the numbering part says: per numId, the format and start of each level."""

    levels: dict[str, dict[int, tuple[str, int]]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def from_document(cls, document: Any) -> _Numbering:
        numbering = cls()
        try:
            element = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return numbering
        abstracts: dict[str, dict[int, tuple[str, int]]] = {}
        for abstract in element.findall(f"{W}abstractNum"):
            levels: dict[int, tuple[str, int]] = {}
            for level in abstract.findall(f"{W}lvl"):
                fmt = level.find(f"{W}numFmt")
                start = level.find(f"{W}start")
                levels[int(level.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    int(start.get(f"{W}val", "1")) if start is not None else 1,
                )
            abstracts[abstract.get(f"{W}abstractNumId", "")] = levels
        for num in element.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                numbering.levels[num.get(f"{W}numId", "")] = dict(
                    abstracts.get(ref.get(f"{W}val", ""), {})
                )
        return numbering

    def next_number(self, num_id: str, level: int) -> tuple[str, int | None]:
        """(format, number) of the next item of list `num_id` at `level`."""
        fmt, start = self.levels.get(num_id, {}).get(level, ("decimal", 1))
        if fmt in ("bullet", "none"):
            return fmt, None
        key = (num_id, level)
        value = self.counters.get(key, start - 1) + 1
        self.counters[key] = value
        # A new item at this level restarts the deeper levels, as in Word.
        for deeper in [k for k in self.counters if k[0] == num_id and k[1] > level]:
            del self.counters[deeper]
        return fmt, value


def _level(numpr: Any) -> int:
    lvl = numpr.find(f"{W}ilvl")
    return int(lvl.get(f"{W}val", "0")) if lvl is not None else 0


class _Styles:
    """Paragraph style lookups: heading level and inherited numbering."""

    def __init__(self, document: Any) -> None:
        self._by_id: dict[str, Any] = {}
        try:
            styles_element = document.styles.element
        except (KeyError, AttributeError):
            return
        for style in styles_element.findall(f"{W}style"):
            self._by_id[style.get(f"{W}styleId", "")] = style

    def _chain(self, style_id: str) -> Iterator[Any]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val", "") if based is not None else ""

    def name(self, style_id: str) -> str:
        style = self._by_id.get(style_id)
        if style is None:
            return style_id
        name = style.find(f"{W}name")
        return name.get(f"{W}val", style_id) if name is not None else style_id

    def heading_level(self, style_id: str) -> int | None:
        """0 for Title, 1–9 for headings, None for body text."""
        for style in self._chain(style_id):
            name_element = style.find(f"{W}name")
            name = name_element.get(f"{W}val", "") if name_element is not None else ""
            if name.casefold() in ("title", "titre", "título"):
                return 0
            match = _HEADING_NAME.match(name.strip())
            if match:
                return int(match.group(1))
            level = style.find(f"{W}pPr/{W}outlineLvl")
            if level is not None:
                value = int(level.get(f"{W}val", "9"))
                return value + 1 if value < 9 else None
        return None

    def numbering(self, style_id: str) -> tuple[str, int] | None:
        for style in self._chain(style_id):
            numpr = style.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                num = numpr.find(f"{W}numId")
                if num is not None:
                    return num.get(f"{W}val", ""), _level(numpr)
        return None


# --------------------------------------------------------------------------------------------
# Notes and paragraph text


def _notes(document: Any, reltype_suffix: str, tag: str) -> dict[str, str]:
    """id → text of the footnotes (or endnotes) part, leaving out Word's separator notes."""
    from docx.oxml import parse_xml

    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith(reltype_suffix):
            continue
        part = rel.target_part
        element = getattr(part, "element", None)
        if element is None:
            element = parse_xml(part.blob)
        notes: dict[str, str] = {}
        for note in element.findall(f"{W}{tag}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            paragraphs = [_plain_text(p) for p in note.iter(f"{W}p")]
            notes[note.get(f"{W}id", "")] = " ".join(p for p in paragraphs if p).strip()
        return notes
    return {}


def _in_fallback(element: Any) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == _MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _walk_text(p: Any) -> Iterator[tuple[str, str]]:
    """("text", s) and ("footnote"/"endnote", id) items of a paragraph, in order."""
    check_fallback = p.find(f".//{_MC_FALLBACK}") is not None
    for element in p.iter(*_TEXT_TAGS):
        if check_fallback and _in_fallback(element):
            continue  # the same text box again, for old Word versions
        tag = element.tag
        if tag == f"{W}t":
            yield "text", element.text or ""
        elif tag == f"{W}noBreakHyphen":
            yield "text", "-"
        elif tag == f"{W}footnoteReference":
            yield "footnote", element.get(f"{W}id", "")
        elif tag == f"{W}endnoteReference":
            yield "endnote", element.get(f"{W}id", "")
        else:
            yield "text", " "


def _plain_text(p: Any) -> str:
    return "".join(value for kind, value in _walk_text(p) if kind == "text").strip()


# --------------------------------------------------------------------------------------------
# The reader


def _separates_notes(items: list[tuple[str, str]], position: int) -> bool:
    """Whether the text at `position` is only a comma between two footnote or endnote marks
    (what our exports, and careful Word users, put between notes in a row: "³,⁴")."""
    if items[position][1].strip() != "," or not 0 < position < len(items) - 1:
        return False
    notes = ("footnote", "endnote")
    return items[position - 1][0] in notes and items[position + 1][0] in notes


def _paragraph_line(
    p: Any,
    index: int,
    styles: _Styles,
    numbering: _Numbering,
    footnotes: dict[str, str],
    endnotes: dict[str, str],
) -> Line:
    parts: list[str] = []
    notes: list[Footnote] = []
    items = list(_walk_text(p))
    for position, (kind, value) in enumerate(items):
        if kind == "text":
            if _separates_notes(items, position):
                continue  # the superscript comma between two footnote marks: not text
            parts.append(value)
        elif kind == "footnote" and value in footnotes:
            notes.append(Footnote(footnotes[value]))
        elif kind == "endnote" and value in endnotes:
            notes.append(Footnote(endnotes[value]))
    text = "".join(parts).strip()
    ppr = p.find(f"{W}pPr")
    style_id = ""
    numpr_ref: tuple[str, int] | None = None
    outline: int | None = None
    if ppr is not None:
        pstyle = ppr.find(f"{W}pStyle")
        style_id = pstyle.get(f"{W}val", "") if pstyle is not None else ""
        numpr = ppr.find(f"{W}numPr")
        if numpr is not None:
            num = numpr.find(f"{W}numId")
            if num is not None:
                numpr_ref = (num.get(f"{W}val", ""), _level(numpr))
        level = ppr.find(f"{W}outlineLvl")
        if level is not None and int(level.get(f"{W}val", "9")) < 9:
            outline = int(level.get(f"{W}val")) + 1
    heading = outline if outline is not None else styles.heading_level(style_id)
    if numpr_ref is None:
        numpr_ref = styles.numbering(style_id)
    numbered, number, sub_item = False, None, False
    if numpr_ref is not None and numpr_ref[0] not in ("", "0") and text:
        fmt, value = numbering.next_number(*numpr_ref)
        # Only "1, 2, 3" at the top level numbers paragraphs; bullets, letters, roman
        # numerals and deeper levels are lists inside the paragraph before.
        if fmt not in _PARAGRAPH_NUMBER_FORMATS or numpr_ref[1] > 0:
            sub_item = True
        else:
            numbered, number = True, value
    typed = ""
    if not numbered and text and heading is None:
        match = _MANUAL_NUMBER.match(text)
        if match:
            numbered, number = True, int(match.group(1))
            typed = match.group(0).strip()
            text = text[match.end() :].strip()
        elif _TYPED_ITEM.match(text):
            sub_item = True  # "(a) …", "ii) …", "• …" typed by hand: a list in a paragraph
    return Line(
        text, style_id, heading, numbered, number, sub_item, notes, index, False, typed, _bold(p)
    )


def _bold(p: Any) -> bool:
    """Whether every run that holds text is bold (direct formatting, as drafters apply it)."""
    runs = [r for r in p.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
    if not runs:
        return False
    for run in runs:
        flag = run.find(f"{W}rPr/{W}b")
        if flag is None or flag.get(f"{W}val", "true") in ("0", "false", "off"):
            return False
    return True


def _table_text(tbl: Any) -> str:
    return " ".join(t for t in (_plain_text(p) for p in tbl.iter(f"{W}p")) if t)


def _body_elements(body: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in body:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _body_elements(content)


def extract_lines(data: bytes, *, max_paragraphs: int) -> dict[str, Any]:
    """The heavy half of reading: parse the XML parts into plain, JSON-ready lines.

    Runs in the sandbox process (`docx_sandbox`), so it touches no settings, database or
    translations: it raises `TooManyParagraphs`, or any exception for a damaged file.
    """
    import docx

    document = docx.Document(BytesIO(data))
    footnotes = _notes(document, "/footnotes", "footnote")
    endnotes = _notes(document, "/endnotes", "endnote")
    body = document.element.body
    styles = _Styles(document)
    numbering = _Numbering.from_document(document)

    lines: list[dict[str, Any]] = []
    for index, element in enumerate(_body_elements(body)):
        if index >= max_paragraphs:
            raise TooManyParagraphs(max_paragraphs)
        if element.tag == f"{W}tbl":
            text = _table_text(element)
            if text:
                lines.append(asdict(Line(text, "", None, False, None, True, [], index, True)))
            continue
        line = _paragraph_line(element, index, styles, numbering, footnotes, endnotes)
        if line.text or line.footnotes:
            lines.append(asdict(line))
    return {
        "lines": lines,
        "title": document.core_properties.title or "",
        "language": document.core_properties.language or "",
        "cover_styles": sorted(styles_ids_for(styles, layout.COVER_STYLE)),
        "organisation_styles": sorted(styles_ids_for(styles, layout.ORGANISATION_STYLE)),
    }


def _line_from_dict(item: dict[str, Any]) -> Line:
    notes = [Footnote(note["text"]) for note in item.pop("footnotes")]
    return Line(footnotes=notes, **item)


def read_docx(
    source: bytes | str | Path | IO[bytes],
    *,
    filename: str = "",
    submission_type: SubmissionType | str | None = None,
) -> ReportDocument:
    """Read a .docx draft into a `ReportDocument`; raise `DocxRejected` when we cannot.

    The size checks run here, on the ZIP's directory only; the XML is parsed in a separate,
    resource-limited process (`docx_sandbox.extract`), so a hostile file cannot starve the
    web server of memory or time.
    """
    data = load_bytes(source)
    check_docx_bytes(data)
    extracted = docx_sandbox.extract(data)
    lines = [_line_from_dict(item) for item in extracted["lines"]]
    if not any(line.text for line in lines):
        raise DocxRejected(_("The document has no text paragraphs: there is nothing to check."))

    context = docx_structure.Context(
        labels=layout.all_cover_labels(),
        cover_styles=set(extracted["cover_styles"]),
        organisation_styles=set(extracted["organisation_styles"]),
    )
    stem = Path(filename).stem if filename else ""
    doc = ReportDocument(
        title=(extracted["title"] or stem or "").strip(),
        cover=CoverInformation(language=extracted["language"].strip()),
    )
    start = docx_structure.body_start(lines, context)
    joint_mark = docx_structure.read_front_matter(doc, lines[:start], context)
    docx_structure.read_body(doc, lines[start:], context)

    if submission_type:
        doc.cover.submission_type = SubmissionType(submission_type)
    elif joint_mark or len(doc.organisations) > 1:
        doc.cover.submission_type = SubmissionType.JOINT
    if not doc.paragraphs():
        raise DocxRejected(_("The document has no text paragraphs: there is nothing to check."))
    return doc


def styles_ids_for(styles: _Styles, name: str) -> set[str]:
    """Style ids whose name is `name` (ours are written with fixed names)."""
    return {sid for sid in styles._by_id if styles.name(sid) == name}


def read_upload(
    upload: Any, *, submission_type: SubmissionType | str | None = None
) -> ReportDocument:
    """Read a Django ``UploadedFile``: its size is checked before any byte is read."""
    # The content decides, not the name: a renamed .doc or text file is caught by its bytes.
    name = getattr(upload, "name", "") or ""
    return read_docx(upload, filename=name, submission_type=submission_type)
