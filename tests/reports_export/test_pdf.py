"""PDF export (WeasyPrint): same words as the validator counts, footnotes, inert text.

Skipped with the reason when WeasyPrint cannot load its system libraries here, except under
CI (env CI set), where PDF export must work.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.utils import translation

from uprhub.reports import layout
from uprhub.reports.document import Footnote, SubmissionType
from uprhub.reports.export.pdf import PdfUnavailable, build_pdf, render_html
from uprhub.reports.rules import default_rules
from uprhub.reports.validator import count_words, validate

from . import samples
from .test_docx import NASTY

pypdf = pytest.importorskip("pypdf")

RULES = default_rules(4)
NOW = datetime(2024, 3, 1, tzinfo=UTC)


def pdf_or_skip(doc) -> bytes:
    try:
        return build_pdf(doc)
    except PdfUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PDF export must work under CI: {exc.message}")
        pytest.skip(exc.message)


def pdf_pages(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(BytesIO(data))
    # pypdf shows glyphs of two-byte font encodings with NUL padding: drop it.
    return [(page.extract_text() or "").replace("\x00", "") for page in reader.pages]


@pytest.mark.parametrize("kind", [SubmissionType.INDIVIDUAL, SubmissionType.JOINT])
def test_pdf_words_match_the_validator(kind: SubmissionType) -> None:
    doc = samples.long_report(6000, submission_type=kind)
    report = validate(doc, rules=RULES, now=NOW)
    pages = pdf_pages(pdf_or_skip(doc))
    assert len(pages) > 5
    counted = count_words("\n".join(pages))
    # What the PDF adds to the counted text: title, cover block, a number per numbered
    # paragraph, a number per footnote (at the foot of the page) and a page number per page.
    with translation.override("en"):
        cover = sum(count_words(f"{line.label}: {line.value}") for line in layout.cover_lines(doc))
    extra = (
        count_words(doc.title)
        + cover
        + sum(1 for p in doc.paragraphs() if p.is_numbered)
        + sum(len(p.footnotes) for p in doc.paragraphs())
        + len(pages)
    )
    expected = report.word_count + extra
    assert abs(counted - expected) <= 0.01 * expected, (counted, expected)


def test_footnotes_and_page_numbers_are_in_the_pdf() -> None:
    doc = samples.small_report()
    text = "\n".join(pdf_pages(pdf_or_skip(doc)))
    for paragraph in doc.paragraphs():
        for note in paragraph.footnotes:
            assert note.text in text
    assert "State under review: Xland" in text
    assert text.rstrip().endswith("1")  # the page number in the footer


def test_user_text_stays_inert_in_pdf() -> None:
    doc = samples.small_report(main_submitter="<b>Org</b>")
    doc.sections[0].paragraphs[0].text = NASTY
    doc.sections[0].paragraphs[0].footnotes = [Footnote("{ MERGEFIELD Name } <i>x</i>")]
    html = render_html(doc)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;lt;b&amp;gt;bold" in html
    assert "\x1b" not in html and "\x0b" not in html
    text = " ".join(pdf_pages(pdf_or_skip(doc)))
    assert "<script>alert(1)</script>" in text
    assert "&lt;b&gt;bold&lt;/b&gt;" in text
    assert "{ MERGEFIELD Name }" in text
    assert "<b>Org</b>" in text
    assert "<i>x</i>" in text


def test_pdf_refuses_to_fetch_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = samples.small_report()
    doc.sections[0].paragraphs[0].text = '<img src="file:///etc/passwd"> url(http://example.org/x)'
    text = " ".join(pdf_pages(pdf_or_skip(doc)))
    assert "root:" not in text
    assert '<img src="file:///etc/passwd">' in text


def test_pdf_unavailable_has_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(PdfUnavailable) as info:
        build_pdf(samples.small_report())
    assert "Pango" in info.value.message and "Word export works" in info.value.message
