"""Footnote marks in a row never run together: "2022.³,⁴", not "2022.³⁴" (read as note 34).

Both exports put a superscript comma between two marks; the Word reader takes that comma for
what it is, so a report read back has the same text and notes.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from uprhub.reports.document import Footnote
from uprhub.reports.docx_reader import read_docx
from uprhub.reports.export.docx import build_docx
from uprhub.reports.export.pdf import render_html

from . import samples
from .test_pdf import pdf_or_skip, pdf_pages

SENTENCE = "The law was adopted in 2022."


def report_with_notes(count: int):
    doc = samples.small_report()
    paragraph = doc.sections[1].paragraphs[1]
    paragraph.text = SENTENCE
    paragraph.footnotes = [Footnote(f"Source number {n}.") for n in range(1, count + 1)]
    doc.number_paragraphs()
    return doc


def test_pdf_separates_adjacent_marks_with_a_comma():
    # The introduction's note is 1, so this paragraph's notes are 2, 3 and 4.
    text = "\n".join(pdf_pages(pdf_or_skip(report_with_notes(3))))
    assert "2022.2,3,4" in text
    assert "2022.234" not in text


def test_pdf_single_mark_has_no_comma():
    text = "\n".join(pdf_pages(pdf_or_skip(report_with_notes(1))))
    assert "2022.2" in text
    assert "2022.2," not in text


def test_pdf_separator_is_superscript_like_the_marks():
    html = render_html(report_with_notes(2))
    assert html.count('<span class="note-separator">,</span>') == 1
    assert re.search(r"\.note-separator \{[^}]*vertical-align: super", html)


def test_docx_puts_a_superscript_comma_between_references():
    body = zipfile.ZipFile(BytesIO(build_docx(report_with_notes(3)))).read("word/document.xml")
    xml = body.decode("utf-8")
    paragraph = next(p for p in xml.split("<w:p>") + xml.split("<w:p ") if SENTENCE in p)
    marks = re.findall(r'<w:footnoteReference w:id="(\d+)"/>|<w:t[^>]*>,</w:t>', paragraph)
    # reference, comma, reference, comma, reference: never two references side by side
    assert [bool(m) for m in marks] == [True, False, True, False, True]
    commas = re.findall(r"<w:r>(?:(?!</w:r>).)*<w:t[^>]*>,</w:t></w:r>", paragraph)
    assert len(commas) == 2
    assert all('w:rStyle w:val="FootnoteReference"' in run for run in commas)


def test_docx_round_trip_drops_the_separator():
    doc = report_with_notes(3)
    back = read_docx(build_docx(doc))
    paragraph = next(p for p in back.paragraphs() if p.text.startswith("The law"))
    assert paragraph.text == SENTENCE
    assert [n.text for n in paragraph.footnotes] == [
        "Source number 1.",
        "Source number 2.",
        "Source number 3.",
    ]


def test_a_comma_that_is_text_stays():
    doc = samples.small_report()
    doc.sections[1].paragraphs[1].text = "First, second, third"
    back = read_docx(build_docx(doc))
    assert any(p.text == "First, second, third" for p in back.paragraphs())
