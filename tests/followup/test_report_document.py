"""The implementation report: its words, its Word and PDF files, published content only."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from io import BytesIO

import docx
import pytest
from django.utils import translation
from docx.oxml.ns import qn

from tests.followup.report_data import EVIDENCE_QUOTE, SECRET_QUOTE, SECRET_RATIONALE, make_round
from uprhub.followup import implementation_report as implementation
from uprhub.followup.models import PositionStatus


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def round_(usa):
    found, _positions = make_round(usa)
    return found


def _texts(document) -> list[str]:
    return [p.text for s in document.sections for p in s.paragraphs]


def test_title_cover_and_parts(round_):
    document = implementation.build_document(round_)
    assert document.title == (
        "Implementation of the recommendations received by United States in its 3rd review: "
        "civil-society assessment, Mid-term 2022"
    )
    assert dict(document.cover_override) == {
        "State under review": "United States",
        "Review": "UPR 36",
        "Assessment round": "Mid-term 2022",
        "Assessed as of": "30 June 2022",
        "Scale": "Human Rights Committee follow-up grades (A–E)",
    }
    # Only the most-used vocabulary makes parts (not "Goal 16"); no theme → "Other" last;
    # "Detention" has only a draft position, so no part.
    assert [s.title for s in document.sections] == [
        "The scale used",
        "Summary",
        "Death penalty",
        "Other recommendations",
    ]


def test_scale_and_summary_say_the_counts(round_):
    texts = _texts(implementation.build_document(round_))
    assert (
        "C – Not satisfactory: A reply was received, but the action taken does not implement "
        "the recommendation or is not relevant to it." in texts
    )
    for line in (
        "Recommendations received: 5.",
        "Assessed (published positions): 3.",
        "Not yet assessed: 2.",
        "Supported but not implemented: 1 of 2 supported recommendations assessed.",
    ):
        assert line in texts


def test_summary_table_by_grade_and_response(round_):
    table = implementation.build_document(round_).sections[1].table
    assert table.header == ["Grade", "Supported", "Noted", "Total"]
    assert table.rows == [
        ["A – Largely satisfactory", "1", "0", "1"],
        ["B – Partially satisfactory", "0", "0", "0"],
        ["C – Not satisfactory", "1", "0", "1"],
        ["D – No cooperation", "0", "0", "0"],
        ["E – Contrary to the recommendation", "0", "1", "1"],
        ["Not yet assessed", "2", "0", "2"],
        ["Total", "4", "1", "5"],
    ]


def test_each_recommendation_with_response_grade_rationale_and_evidence(round_):
    document = implementation.build_document(round_)
    part = document.sections[2]
    assert [p.text for p in part.paragraphs] == [
        "Recommendation 26.179 (France), supported: “Establish a moratorium on the death "
        "penalty at the federal level”",
        "Assessment: C – Not satisfactory. No moratorium was declared.",
        "Recommendation 26.180 (Brazil), noted: “Abolish the death penalty”",
        "Assessment: E – Contrary to the recommendation. Executions resumed.",
    ]
    assert [p.number for p in part.paragraphs] == [1, None, 2, None]
    assert [n.text for n in part.paragraphs[1].footnotes] == [
        f"A/HRC/WG.6/50/USA/2, para. 26: “{EVIDENCE_QUOTE}” "
        "(https://docs.un.org/A/HRC/WG.6/50/USA/2, 10 February 2025)."
    ]
    other = document.sections[3]
    assert other.paragraphs[0].text.startswith("Recommendation 26.93, supported:")
    assert [n.text for n in other.paragraphs[1].footnotes] == [
        "Executive order establishing the commission (https://example.org/order)."
    ]


def test_drafts_never_appear_and_output_is_deterministic(round_):
    first = implementation.build_document(round_)
    words = " ".join(_texts(first) + [n.text for p in first.paragraphs() for n in p.footnotes])
    assert SECRET_RATIONALE not in words and SECRET_QUOTE not in words
    assert "26.176" not in words and "Detention" not in words
    assert _texts(implementation.build_document(round_)) == _texts(first)


def test_a_round_without_published_positions_is_refused(round_):
    round_.positions.update(status=PositionStatus.IN_REVIEW)
    with pytest.raises(implementation.ImplementationReportError, match="no published position"):
        implementation.build_document(round_)


def test_filename(round_):
    assert (
        implementation.filename_for(round_, "docx") == "USA-UPR36-implementation-mid-term-2022.docx"
    )


def test_docx_headings_summary_and_footnotes(round_):
    data = implementation.render(round_, "docx")
    document = docx.Document(BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["The scale used", "Summary", "Death penalty", "Other recommendations"]
    body = [p.text for p in document.paragraphs]
    assert body[0].startswith("Implementation of the recommendations received by United States")
    assert "Assessed as of: 30 June 2022" in body
    assert not any(line.startswith("Type of submission") for line in body)
    assert "Supported but not implemented: 1 of 2 supported recommendations assessed." in body
    assert "Assessment: C – Not satisfactory. No moratorium was declared." in body
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Grade", "Supported", "Noted", "Total"]
    assert [c.text for c in table.rows[-1].cells] == ["Total", "4", "1", "5"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    notes = zipfile.ZipFile(BytesIO(data)).read("word/footnotes.xml").decode()
    assert EVIDENCE_QUOTE in notes and "A/HRC/WG.6/50/USA/2, para. 26" in notes
    assert SECRET_RATIONALE not in " ".join(body) and SECRET_QUOTE not in notes


def test_pdf(round_):
    pypdf = pytest.importorskip("pypdf")
    try:
        data = implementation.render(round_, "pdf")
    except implementation.ImplementationReportError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PDF export must work under CI: {error}")
        pytest.skip(f"WeasyPrint cannot run here: {error}")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages)
    text = " ".join(text.replace("\x00", "").split())
    assert "Death penalty" in text and "No moratorium was declared." in text
    assert "resumed executions in 2020" in text
    assert SECRET_RATIONALE not in text
    assert "Not yet assessed 2 0 2" in text  # the summary table's row


def test_pdf_unavailable_gives_the_reports_message(round_, monkeypatch):
    from uprhub.reports.export import pdf

    def missing():
        raise pdf.PdfUnavailable("PDF export is not available on this server.")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    with pytest.raises(implementation.ImplementationReportError, match="not available"):
        implementation.render(round_, "pdf")


def test_queries_do_not_grow_with_the_recommendations(round_, django_assert_max_num_queries):
    from uprhub.followup.models import AssessmentRound

    loaded = AssessmentRound.objects.select_related(
        "review__state", "review__session", "scale"
    ).get(pk=round_.pk)
    with django_assert_max_num_queries(12):
        implementation.build_document(loaded)
