"""Models → ReportDocument: numbering, the follow-up heading, citations, cover, language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from uprhub.calendar.models import Deadline, DeadlineKind
from uprhub.reports import services
from uprhub.reports.document import SubmissionType
from uprhub.reports.models import SectionKind
from uprhub.reports.selectors import report_with_everything
from uprhub.reports.to_document import document_for, paragraph_numbers, to_document

pytestmark = pytest.mark.django_db


def rec(world, number):
    return next(r for r in world.data.recommendations if r.paragraph == number)


@pytest.fixture
def written(world):
    lead = world.lead
    intro = world.section(SectionKind.INTRODUCTION)
    services.add_paragraph(intro, "Summary of the main points.", actor=lead)
    services.cite(world.follow_up, [rec(world, n) for n in ("26.1", "26.2", "26.3")], actor=lead)
    services.add_paragraph(world.follow_up, "Torture continues in prisons.", ["Source"], actor=lead)
    housing = services.add_section(
        world.report, kind=SectionKind.FOLLOW_UP, title="Housing", actor=lead
    )
    services.add_paragraph(housing, "Evictions rose.", actor=lead)
    services.add_paragraph(world.recommendations_section, "Ratify the OP-CAT by 2027.", actor=lead)
    return world


def test_structure_and_numbering(written):
    report = report_with_everything(written.report.pk)
    document = to_document(report)
    outline = [
        (s.level, s.kind, s.title, [p.number for p in s.paragraphs]) for s in document.sections
    ]
    assert outline == [
        (1, "introduction", "Introduction", [1]),
        (1, "follow_up", "Follow-up to the previous review", []),
        (2, "follow_up", "Torture", [2, 3]),
        (2, "follow_up", "Housing", [4]),
        (1, "new_developments", "New developments since the last review", []),
        (1, "recommendations", "Recommendations", [5]),
    ]
    torture = document.sections[2]
    citation = torture.paragraphs[0]
    assert citation.text.startswith("Recommendations 26.2 and 26.3")
    assert [f.text for f in citation.footnotes] == [
        "Report of the Working Group on the Universal Periodic Review, A/HRC/46/15; views of "
        "the State under review, A/HRC/46/15/Add.1."
    ]
    assert torture.paragraphs[1].footnotes[0].text == "Source"
    numbers = paragraph_numbers(document)
    assert numbers[f"c{written.follow_up.pk}"] == 2


def test_citation_text_groups_by_position(written):
    document = to_document(report_with_everything(written.report.pk))
    assert document.sections[2].paragraphs[0].text == (
        "Recommendations 26.2 and 26.3 (Brazil, France, Kenya), supported; "
        "recommendation 26.1 (Kenya), noted."
    )


def test_cover_and_organisations(written):
    report = report_with_everything(written.report.pk)
    document = to_document(report)
    cover = document.cover
    assert cover.state_code == "USA" and cover.state_name == "United States of America"
    assert cover.session == 50 and cover.cycle == 4
    assert cover.submission_type == SubmissionType.JOINT
    assert cover.main_submitter == "Advocates for Human Rights"
    assert cover.contact_name == "Lena Lead" and cover.contact_email == "lena@example.org"
    assert cover.key_words == ["torture", "death penalty"]
    assert [o.acronym for o in document.organisations] == ["AHR", "TU"]
    assert document.organisations[0].description.startswith("Advocates for Human Rights works")
    assert document.states_mentioned == ["USA"]


def test_deadline_and_period(written):
    review = written.data.review_2025
    review.session.start_date = date(2025, 11, 3)
    review.session.save()
    due = datetime(2025, 4, 8, 21, 59, tzinfo=UTC)
    Deadline.objects.create(
        session=review.session,
        kind=DeadlineKind.STAKEHOLDER_SUBMISSION,
        due=due,
        source_note="OHCHR",
    )
    document = document_for(report_with_everything(written.report.pk))
    assert document.deadline == due
    assert document.cover.session_month_year == "November 2025"
    assert document.cover.period_start == "2020-11-09"  # the previous review


def test_unsaved_text_replaces_and_appends(written):
    report = report_with_everything(written.report.pk)
    paragraph = written.follow_up.paragraphs.get()
    document = to_document(
        report,
        replace={paragraph.pk: ("Typed but not saved.", [])},
        append={written.recommendations_section.pk: ("A new one.", ["n"])},
    )
    assert document.sections[2].paragraphs[1].text == "Typed but not saved."
    assert [p.text for p in document.sections[-1].paragraphs] == [
        "Ratify the OP-CAT by 2027.",
        "A new one.",
    ]


def test_headings_in_the_reports_language(written):
    report = written.report
    report.language = "fr"
    report.save()
    document = to_document(report_with_everything(report.pk))
    assert document.cover.language == "fr"
    assert document.sections[1].title  # translated if the catalogue has it; never empty


def test_no_query_when_loaded(written, django_assert_num_queries):
    report = report_with_everything(written.report.pk)
    with django_assert_num_queries(0):
        to_document(report)
