"""Inserting "Implementation of previous recommendations" into a shadow report: who, where, what."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from tests.factories import ReviewFactory, SessionFactory, StateFactory
from tests.followup.report_data import EVIDENCE_QUOTE, SECRET_RATIONALE, make_world
from uprhub.followup import implementation_report as implementation
from uprhub.followup.models import PositionStatus
from uprhub.reports import services as report_services
from uprhub.reports.models import Report, ReportStatus, SectionKind
from uprhub.reports.selectors import report_with_everything
from uprhub.reports.to_document import to_document


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def world(usa):
    return make_world(usa)


@pytest.mark.parametrize("role", ["lead", "drafter"])
def test_lead_and_drafter_insert(world, role):
    section = implementation.insert_implementation_section(
        world.people[role], world.report, world.round
    )
    assert section.kind == SectionKind.FOLLOW_UP
    assert section.title == "Implementation of previous recommendations"
    cited = sorted(section.citations.values_list("recommendation__paragraph", flat=True))
    assert cited == ["26.179", "26.180", "26.93"]
    paragraphs = list(section.paragraphs.order_by("order"))
    assert paragraphs[0].text == (
        "Civil society assessed 3 of the 5 recommendations United States received in its 3rd "
        "review (Mid-term 2022, as of 30 June 2022). Of the 2 supported recommendations "
        "assessed, 1 have not been implemented."
    )
    assert [p.text for p in paragraphs[1:]] == [
        "Death penalty: 2 recommendations assessed (C – Not satisfactory: 1; E – Contrary to "
        "the recommendation: 1). Supported but not implemented: recommendation 26.179.",
        "Other recommendations: 1 recommendation assessed (A – Largely satisfactory: 1).",
    ]
    assert any(EVIDENCE_QUOTE in note for note in paragraphs[1].footnotes)
    assert paragraphs[2].footnotes == []
    # The report's own document shows it, with the citation paragraph first.
    document = to_document(report_with_everything(world.report.pk))
    titles = [s.title for s in document.sections]
    assert "Implementation of previous recommendations" in titles
    words = " ".join(p.text for p in document.paragraphs())
    assert "26.179" in words and SECRET_RATIONALE not in words and "26.176" not in words


@pytest.mark.parametrize("role", ["reviewer", "other", "coordinator"])
def test_others_are_refused(world, role):
    with pytest.raises(PermissionDenied):
        implementation.insert_implementation_section(world.people[role], world.report, world.round)
    assert not world.report.sections.filter(title__startswith="Implementation").exists()


def test_command_line_is_refused(world):
    with pytest.raises(PermissionDenied):
        implementation.insert_implementation_section(None, world.report, world.round)


def test_final_report_is_refused(world):
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.FINAL)
    world.report.refresh_from_db()
    with pytest.raises(implementation.ImplementationReportError, match="final"):
        implementation.insert_implementation_section(
            world.people["lead"], world.report, world.round
        )


def test_wrong_state_is_refused(world):
    other_review = ReviewFactory(
        state=StateFactory(code="CAN", short_name="Canada"), session=SessionFactory(number=50)
    )
    report = report_services.create_report(
        actor=world.people["lead"],
        review=other_review,
        submission_type="individual",
        organisations=list(world.report.organisations.all()),
    )
    with pytest.raises(implementation.ImplementationReportError, match="about Canada"):
        implementation.insert_implementation_section(world.people["lead"], report, world.round)
    assert implementation.target_reports(world.people["lead"], world.round).get() == world.report


def test_same_or_earlier_review_is_refused(world):
    report = report_services.create_report(
        actor=world.people["lead"],
        review=world.third,
        submission_type="individual",
        organisations=list(world.report.organisations.all()),
    )
    with pytest.raises(implementation.ImplementationReportError, match="later review"):
        implementation.insert_implementation_section(world.people["lead"], report, world.round)


def test_round_without_published_positions_is_refused(world):
    world.round.positions.update(status=PositionStatus.DRAFT)
    with pytest.raises(implementation.ImplementationReportError, match="no published position"):
        implementation.insert_implementation_section(
            world.people["lead"], world.report, world.round
        )
    assert not world.report.sections.filter(kind=SectionKind.FOLLOW_UP).exists()


def test_inserting_twice_is_refused_until_the_section_is_removed(world):
    lead = world.people["lead"]
    implementation.insert_implementation_section(lead, world.report, world.round)
    with pytest.raises(implementation.ImplementationReportError, match="remove the section first"):
        implementation.insert_implementation_section(lead, world.report, world.round)
    assert world.report.sections.filter(kind=SectionKind.FOLLOW_UP).count() == 1
