"""A `ReportDocument` as the Word file OHCHR asks for (python-docx).

What OHCHR's guidelines ask for and how we write it:

* numbered paragraphs — real Word numbering ("1.", hanging indent) on every numbered
  paragraph, so the numbers survive edits in Word and our reader sees them;
* numbered pages — a PAGE field centred in the footer;
* cover information — a block of "Label: value" lines (style "UPR Cover");
* joint submissions — the list of every organisation at the start of the text
  (style "UPR Organisation"), under a heading;
* footnotes — real Word footnotes: python-docx has no footnote API, so we add the
  ``/word/footnotes.xml`` part (with the separator and continuation-separator notes Word
  expects) and ``w:footnoteReference`` runs in the FootnoteReference style.

User text only ever becomes text nodes (``w:t`` via python-docx or lxml, which escape it),
never parsed XML or field instructions: a "{ MERGEFIELD x }" or "<script>" stays literal.
Characters XML cannot hold are dropped first (`layout.clean_text`).
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from django.utils import timezone, translation
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import layout
from ..document import Footnote, ReportDocument, Table

FOOTNOTES_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
)
FOOTNOTES_PARTNAME = "/word/footnotes.xml"
RTL_LANGUAGES = frozenset({"ar"})
# What may follow w:bidi inside w:pPr (the schema's order), so it goes in the right place.
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
FONT = "Times New Roman"  # the 2008 technical guide's font; Liberation Serif has its metrics
# Hanging indent of numbered paragraphs, in twentieths of a point (567 = 1 cm).
NUMBER_INDENT_TWIPS = 567

# Word's own first two footnotes: the separator line and its continuation. Static markup.
_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
    'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


class _Footnotes:
    """The footnotes part of one document, created on first use."""

    def __init__(self, document: DocxDocument) -> None:
        self._document = document
        self._element = None
        self._next_id = 1

    def _part_element(self):
        if self._element is None:
            element = parse_xml(_FOOTNOTES_XML)
            part = XmlPart(
                PackURI(FOOTNOTES_PARTNAME),
                FOOTNOTES_CONTENT_TYPE,
                element,
                self._document.part.package,
            )
            self._document.part.relate_to(part, RT.FOOTNOTES)
            self._element = element
        return self._element

    def add(self, paragraph: DocxParagraph, note: Footnote) -> int:
        """Append footnote `note` to the part and its reference mark to `paragraph`."""
        note_id = self._next_id
        self._next_id += 1
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(note_id))
        body = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), "FootnoteText")
        ppr.append(pstyle)
        body.append(ppr)
        mark = _styled_run("FootnoteReference")
        mark.append(OxmlElement("w:footnoteRef"))
        body.append(mark)
        text_run = OxmlElement("w:r")
        text_run.append(_text_element(" " + layout.clean_text(note.text).strip()))
        body.append(text_run)
        footnote.append(body)
        self._part_element().append(footnote)

        reference = _styled_run("FootnoteReference")
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(note_id))
        reference.append(ref)
        paragraph._p.append(reference)
        return note_id


def _styled_run(style_id: str):
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), style_id)
    rpr.append(rstyle)
    run.append(rpr)
    return run


def _note_separator():
    """A superscript comma between two footnote marks in a row: Word shows "³,⁴", not "³⁴"
    (which reads as note 34). The DOCX reader knows it is not text."""
    run = _styled_run("FootnoteReference")
    run.append(_text_element(","))
    return run


def _text_element(text: str):
    """A ``w:t`` holding `text` as a text node (lxml escapes it)."""
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return element


def _set_style_id(style, style_id: str) -> None:
    style.element.set(qn("w:styleId"), style_id)


def _setup_styles(document: DocxDocument, language: str) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:  # east-Asian and complex scripts in the same family when possible
        fonts.set(qn("w:cs"), FONT)
    if language:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        lang.set(qn("w:bidi"), language)
        rpr.append(lang)
    normal.paragraph_format.space_after = Pt(6)
    if language in RTL_LANGUAGES:
        # Arabic reads right to left: paragraphs and runs both need saying so in Word.
        ppr = normal.element.get_or_add_pPr()
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
        rtl = OxmlElement("w:rtl")
        lang_element = rpr.find(qn("w:lang"))
        if lang_element is not None:
            lang_element.addprevious(rtl)
        else:
            rpr.append(rtl)

    cover = styles.add_style(layout.COVER_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cover.base_style = normal
    cover.paragraph_format.space_after = Pt(2)
    _set_style_id(cover, "UPRCover")

    org = styles.add_style(layout.ORGANISATION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    org.base_style = normal
    org.paragraph_format.space_after = Pt(2)
    org.paragraph_format.left_indent = Cm(1)
    _set_style_id(org, "UPROrganisation")

    body = styles.add_style(layout.PARAGRAPH_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _set_style_id(body, "UPRParagraph")

    # Word's built-in names and ids, so Word treats them as its own footnote styles.
    note_text = styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
    note_text.base_style = normal
    note_text.font.size = Pt(10)
    note_text.paragraph_format.space_after = Pt(0)
    _set_style_id(note_text, "FootnoteText")
    note_ref = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
    note_ref.font.superscript = True
    _set_style_id(note_ref, "FootnoteReference")


def _add_numbering(document: DocxDocument) -> int:
    """A decimal "1." list with a hanging indent; returns its numId."""
    numbering = document.part.numbering_part.element
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{NUMBER_INDENT_TWIPS}" w:hanging="{NUMBER_INDENT_TWIPS}"/>'
        "</w:pPr></w:lvl></w:abstractNum>"
    )
    # The schema wants every abstractNum before the first num.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return int(numbering.add_num(abstract_id).numId)


def _number(paragraph: DocxParagraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
    )
    # numPr follows pStyle/keepNext… in pPr's sequence; after pStyle is always valid here.
    pstyle = ppr.find(qn("w:pStyle"))
    if pstyle is not None:
        pstyle.addnext(numpr)
    else:
        ppr.insert(0, numpr)


def _add_page_numbers(document: DocxDocument) -> None:
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # A complex PAGE field: begin, instruction, separate, cached result, end. Static.
        for xml in (
            '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
            '<w:r {ns}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
            '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
            "<w:r {ns}><w:t>1</w:t></w:r>",
            '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
        ):
            paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))


def _add_cover(document: DocxDocument, doc: ReportDocument) -> None:
    for line in layout.cover_lines(doc):
        paragraph = document.add_paragraph(style=layout.COVER_STYLE)
        paragraph.add_run(f"{line.label}: ").bold = True
        paragraph.add_run(line.value)


def _add_table(document: DocxDocument, table: Table) -> None:
    """A grid with a bold header row repeated on every page (screen readers announce it as
    the header), each row headed by its first cell."""
    if table.caption.strip():
        document.add_paragraph(layout.clean_text(table.caption).strip())
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = document.styles["Table Grid"]
    for column, heading in enumerate(table.header):
        cell = grid.rows[0].cells[column]
        cell.paragraphs[0].add_run(layout.clean_text(heading)).bold = True
    header = grid.rows[0]._tr.get_or_add_trPr()
    header.append(OxmlElement("w:tblHeader"))
    for index, row in enumerate(table.rows, start=1):
        for column, value in enumerate(row[: len(table.header)]):
            run = grid.rows[index].cells[column].paragraphs[0].add_run(layout.clean_text(value))
            run.bold = column == 0
    document.add_paragraph()


def build_document(doc: ReportDocument) -> DocxDocument:
    """The python-docx document for `doc`, in the report's language."""
    language = doc.cover.language or "en"
    with translation.override(language):
        document = Document()
        _setup_styles(document, language)
        for page in document.sections:
            page.page_height, page.page_width = Cm(29.7), Cm(21.0)  # A4
            page.left_margin = page.right_margin = Cm(2.5)
            page.top_margin = page.bottom_margin = Cm(2.5)
        properties = document.core_properties
        properties.title = layout.clean_text(doc.title)[:255]
        properties.author = layout.clean_text(doc.cover.main_submitter)[:255]
        properties.language = language
        properties.comments = ""
        properties.last_modified_by = properties.author
        properties.created = properties.modified = timezone.now().replace(microsecond=0)
        properties.revision = 1
        # The template's thumbnail shows python-docx's sample page, not this report.
        package_rels = document.part.package.rels
        for rel_id, rel in list(package_rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del package_rels[rel_id]
        properties.keywords = ", ".join(layout.clean_text(k) for k in doc.cover.key_words)[:255]

        _add_page_numbers(document)
        if doc.title.strip():
            document.add_paragraph(layout.clean_text(doc.title).strip(), style="Title")
        _add_cover(document, doc)
        if layout.lists_organisations(doc):
            document.add_heading(layout.organisations_heading(), level=1)
            for org in doc.organisations:
                document.add_paragraph(
                    layout.organisation_line(org), style=layout.ORGANISATION_STYLE
                )

        num_id = _add_numbering(document)
        footnotes = _Footnotes(document)
        for section in doc.sections:
            title = layout.clean_text(section.title).strip()
            if title:
                document.add_heading(title, level=min(max(section.level, 1), 3))
            if section.table is not None:
                _add_table(document, section.table)
            for paragraph in section.paragraphs:
                text = layout.clean_text(paragraph.text).strip()
                if not text and not paragraph.footnotes:
                    continue
                if paragraph.is_numbered:
                    out = document.add_paragraph(style=layout.PARAGRAPH_STYLE)
                    _number(out, num_id)
                else:
                    out = document.add_paragraph()
                out.add_run(text)
                for index, note in enumerate(paragraph.footnotes):
                    if index:
                        out._p.append(_note_separator())
                    footnotes.add(out, note)
    return document


def build_docx(doc: ReportDocument) -> bytes:
    """The .docx file of `doc`, as bytes."""
    buffer = BytesIO()
    build_document(doc).save(buffer)
    return buffer.getvalue()


def write_docx(doc: ReportDocument, target: str | Path | BinaryIO) -> None:
    build_document(doc).save(target)
