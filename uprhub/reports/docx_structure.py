"""How the lines of a Word draft become a report: front matter, sections and paragraphs.

`docx_reader` parses the XML into `Line` items (in the sandbox); this module decides what
they are, with no XML in sight:

* the **front matter** — everything before the text proper: the title, the session line,
  cover lines ("Key words: …", "Contact: …"), the submitters ("Submitted by the Coalition X
  (JS): Org A (City); …", or our exports' "Submitting organisations" list). It is read into
  the cover (`front_matter` reads each line) and, like our exports' cover block, is not
  counted as text — except the submitters of a joint submission, counted as written;
* the **text**: headings (Heading styles, outline levels, or a short bold line typed as a
  heading: "II. Follow-up"), numbered paragraphs, and lists and tables joined to the
  paragraph before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import front_matter, layout
from .document import Footnote, Paragraph, ReportDocument, Section

# A heading drafters type in bold instead of using a Heading style: "II. Follow-up", "B. Evictions".
_TYPED_HEADING = re.compile(r"^(?:[IVX]{1,5}|[A-H])\.\s+\S")
_HEADING_MAX_WORDS = 14
_INTRODUCTION = re.compile(
    r"^(?:[IVX]+\.\s*)?(?:introduction|introducción|(?:executive\s+)?summary|résumé|resumen)\b",
    re.IGNORECASE,
)
# Front matter is titles and cover lines: a longer unlabelled line is already the text.
_FRONT_MAX_WORDS = 40


@dataclass
class Line:
    """One body paragraph or table of the draft, as the sandbox extracted it."""

    text: str
    style_id: str
    heading: int | None
    numbered: bool
    number: int | None
    sub_item: bool  # a bullet or a deeper list level: belongs to the paragraph before
    footnotes: list[Footnote]
    index: int
    is_table: bool = False
    typed_number: str = ""  # "12." as typed: Word counts it as a word
    bold: bool = False  # every run of text is bold (drafters' headings and titles)


@dataclass
class Context:
    labels: dict[str, str]  # cover labels in every language, casefolded → key
    cover_styles: set[str]  # style ids of our exports' cover lines
    organisation_styles: set[str]  # … and of their organisations list

    @property
    def organisation_headings(self) -> set[str]:
        return {k for k, v in self.labels.items() if v == "organisations_heading"}

    def is_export_line(self, line: Line) -> bool:
        return line.style_id in self.cover_styles or line.style_id in self.organisation_styles


def typed_heading(line: Line) -> bool:
    """A heading typed as body text: bold, short, without closing punctuation."""
    text = line.text
    return (
        line.bold
        and line.heading is None
        and not line.numbered
        and not line.sub_item
        and not line.is_table
        and len(text.split()) <= _HEADING_MAX_WORDS
        and not text.endswith((".", ":", ";", ","))
    )


def _organisation_line(line: Line, in_list: bool) -> bool:
    """A line of a list of submitters that a heading or a "Submitted by …:" opened."""
    return in_list and not line.numbered and line.heading is None and len(line.text.split()) <= 25


def body_start(lines: list[Line], context: Context) -> int:
    """Index of the first line of the text proper; the lines before it are the front matter.

    The text starts at the first heading, the first numbered paragraph, a bold "I. Introduction"
    typed as a heading, or a line too long for a title. Titles, cover lines, the submitters and
    their list come before. With none of those starts, the text begins after the last line
    recognised as front matter.
    """
    in_list = False
    after_recognised = 0
    for index, line in enumerate(lines):
        text = line.text
        if context.is_export_line(line):
            in_list = line.style_id in context.organisation_styles
            after_recognised = index + 1
            continue
        if line.heading is not None and text.casefold() in context.organisation_headings:
            in_list, after_recognised = True, index + 1
            continue
        if line.heading == 0:
            after_recognised = index + 1
            continue
        if line.heading is not None and index == 0 and _cover_block_follows(lines, context):
            after_recognised = index + 1  # the title, written in a Heading style
            continue
        if line.heading is not None or line.numbered:
            return index
        if front_matter.cover_match(text, context.labels) is not None:
            in_list, after_recognised = False, index + 1
            continue
        submitters = front_matter.parse_submitters(text)
        if submitters is not None:
            in_list, after_recognised = submitters.open_list, index + 1
            continue
        if _organisation_line(line, in_list):
            after_recognised = index + 1
            continue
        in_list = False
        if typed_heading(line) and (_TYPED_HEADING.match(text) or _INTRODUCTION.search(text)):
            return index
        if len(text.split()) > _FRONT_MAX_WORDS:
            return index
    return after_recognised


def _recognised(text: str, context: Context) -> bool:
    return (
        front_matter.cover_match(text, context.labels) is not None
        or front_matter.parse_submitters(text) is not None
    )


def _cover_block_follows(lines: list[Line], context: Context) -> bool:
    """Whether the lines after the first one, up to the next heading or numbered paragraph,
    are a cover block ("Submitted by …", "Key words: …"): then the first line, even in a
    Heading style, is the title. Many drafters write their title as Heading 1."""
    recognised = False
    for line in lines[1:]:
        if line.heading is not None or line.numbered:
            return recognised
        if _recognised(line.text, context):
            recognised = True
        elif len(line.text.split()) > _FRONT_MAX_WORDS:
            return False
    return False


def read_front_matter(doc: ReportDocument, lines: list[Line], context: Context) -> bool:
    """Fill the title and cover from the front matter; True when it marks a joint submission."""
    cover = doc.cover
    unlabelled: list[str] = []  # title block: title, session line, date…
    submitters_text: list[str] = []
    title_taken = False
    joint = False
    in_list = ""  # "export" after our organisations heading, "draft" after "Submitted by …:"
    for line in lines:
        text = line.text
        if line.heading is not None and text.casefold() in context.organisation_headings:
            in_list = "export"
            continue
        if line.heading is not None and not title_taken:
            doc.title, title_taken = text, True
            continue
        if line.style_id in context.organisation_styles:
            _add_organisation(doc, text, export=True)
            continue
        match = front_matter.cover_match(text, context.labels)
        if match is not None:
            in_list = ""
            front_matter.apply_cover(cover, match[0], match[1], doc)
            continue
        if _organisation_line(line, bool(in_list)):
            _add_organisation(doc, text, export=in_list != "draft")
            if in_list == "draft":
                submitters_text.append(text)
            continue
        in_list = ""
        submitters = front_matter.parse_submitters(text)
        if submitters is not None:
            submitters_text.append(text)
            joint = joint or submitters.joint
            cover.main_submitter = cover.main_submitter or submitters.main
            doc.organisations.extend(submitters.organisations)
            in_list = "draft" if submitters.open_list else ""
            continue
        if not line.is_table:
            unlabelled.append(text)
    if not title_taken and unlabelled:
        doc.title = unlabelled[0]
    if submitters_text:
        doc.organisations_text = "\n".join(submitters_text)
    title_block = [doc.title, *unlabelled]
    if not (cover.state_name or cover.state_code):
        for text in title_block:
            found = front_matter.find_state(text)
            if found is not None:
                cover.state_code, cover.state_name = found
                break
    if not (cover.session or cover.session_month_year):
        for text in title_block:
            number, month = front_matter.find_session(text)
            cover.session = cover.session or number
            cover.session_month_year = cover.session_month_year or month
    return joint or any(front_matter.JOINT_WORDS.search(text) for text in title_block)


def _add_organisation(doc: ReportDocument, text: str, *, export: bool) -> None:
    org = front_matter.parse_organisation(text, bracket_is_acronym=export)
    known = next((o for o in doc.organisations if layout.organisation_line(o) == text), None)
    if known is None:
        doc.organisations.append(org)
    else:  # described in the cover block first: keep one entry, in list order
        doc.organisations.remove(known)
        doc.organisations.append(known)


def read_body(doc: ReportDocument, lines: list[Line], context: Context) -> None:
    """Sections and numbered paragraphs; lists and tables join the paragraph before them."""
    current: Section | None = None
    for line in lines:
        if line.style_id in context.cover_styles:
            match = front_matter.cover_match(line.text, context.labels)
            if match is not None:
                front_matter.apply_cover(doc.cover, match[0], match[1], doc)
                continue
        if line.style_id in context.organisation_styles:
            _add_organisation(doc, line.text, export=True)
            continue
        heading = line.heading
        if heading is None and typed_heading(line):
            heading = 2 if re.match(r"^[A-H]\.\s", line.text) else 1
        if heading is not None:
            current = Section(title=line.text, level=max(heading, 1))
            doc.sections.append(current)
            continue
        if current is None:
            current = Section(title="")
            doc.sections.append(current)
        previous = current.paragraphs[-1] if current.paragraphs else None
        if line.sub_item and previous is not None:
            previous.text = f"{previous.text}\n{line.text}".strip()
            previous.footnotes.extend(line.footnotes)
            continue
        current.paragraphs.append(
            Paragraph(
                text=line.text,
                footnotes=line.footnotes,
                number=line.number,
                key=f"docx-{line.index}",
                is_numbered=line.numbered,
                typed_number=line.typed_number,
            )
        )
