"""Details of a report's exports that readers and OHCHR notice.

* "Period covered" runs from the last review that took place to the submission deadline: the
  US review of November 2025 (UPR 50), which the US did not attend, is not a start.
* A review that did not take place says so where a report is started.
* Download names are cut between words.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.calendar.factories import DeadlineFactory
from tests.factories import ReviewFactory, SessionFactory
from uprhub.calendar.models import DeadlineKind
from uprhub.reports import exporting, layout, services
from uprhub.reports.forms import ReportCreateForm
from uprhub.reports.selectors import previous_review, report_with_everything
from uprhub.reports.to_document import document_for

pytestmark = pytest.mark.django_db


def did_not_take_place(review):
    DeadlineFactory(
        review=review,
        kind=DeadlineKind.REVIEW,
        due=datetime(2025, 11, 7, tzinfo=UTC),
        all_day=True,
        cancelled=True,
        source_note="The United States did not appear at its review",
    )


@pytest.fixture
def rescheduled(world):
    """UPR 50 did not take place for the US; its review moved to UPR 53 (late 2026)."""
    did_not_take_place(world.data.review_2025)
    session_53 = SessionFactory(number=53, cycle=world.data.review_2025.session.cycle)
    review_53 = ReviewFactory(state=world.data.review_2025.state, session=session_53)
    DeadlineFactory(session=session_53, due=datetime(2026, 4, 15, 21, 59, tzinfo=UTC))
    report = services.create_report(
        actor=world.lead,
        review=review_53,
        submission_type="individual",
        organisations=world.organisations[:1],
        title="Submission on the United States",
    )
    return review_53, report


def cover_value(document, key):
    return next(line.value for line in layout.cover_lines(document) if line.key == key)


def test_previous_review_skips_one_that_did_not_take_place(world, rescheduled):
    review_53, _report = rescheduled
    assert previous_review(review_53) == world.data.review_2020
    # Without the cancellation the 2025 review counts (it is the last one).
    assert previous_review(world.data.review_2025) == world.data.review_2020


def test_period_covered_runs_from_the_last_review_held_to_the_deadline(rescheduled):
    _review, report = rescheduled
    document = document_for(report_with_everything(report.pk))
    assert document.cover.period_start == "2020-11-09"
    # 23:59 in Geneva on 15 April 2026 (21:59 UTC, summer time).
    assert document.cover.period_end == "2026-04-15"
    assert document.cover.last_review_date == "2020-11-09"
    assert cover_value(document, "period") == "2020-11-09 – 2026-04-15"


@time_machine.travel(datetime(2026, 12, 6, 12, tzinfo=UTC), tick=False)
def test_without_a_deadline_the_period_runs_to_today(world):
    # The world's own report is on the 2025 review; its session has no dates and no deadline.
    document = document_for(report_with_everything(world.report.pk))
    assert (document.deadline, document.cover.period_start) == (None, "2020-11-09")
    assert document.cover.period_end == "2026-12-06"


def test_the_exported_pdf_shows_the_period(rescheduled):
    pytest.importorskip("pypdf")
    from io import BytesIO

    import pypdf

    from uprhub.reports.export.pdf import PdfUnavailable, build_pdf

    _review, report = rescheduled
    try:
        data = build_pdf(document_for(report_with_everything(report.pk)))
    except PdfUnavailable as exc:
        pytest.skip(exc.message)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(BytesIO(data)).pages)
    assert "Period covered: 2020-11-09 – 2026-04-15" in text
    assert "2025-11" not in text


def test_a_review_that_did_not_take_place_says_so_in_the_choice(world, rescheduled):
    review_53, _report = rescheduled
    field = ReportCreateForm(user=world.lead).fields["review"]
    labels = {choice.value: label for choice, label in field.choices if choice}
    assert labels[world.data.review_2025.pk].endswith("— did not take place")
    assert "did not take place" not in labels[review_53.pk]
    assert "did not take place" not in labels[world.data.review_2020.pk]


def test_the_new_report_page_labels_it(world, rescheduled, client):
    client.force_login(world.lead)
    page = client.get(reverse("reports:create")).content.decode()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    if not options:  # radio buttons or another widget: look at the labels instead
        options = re.findall(r"<label[^>]*>([^<]*UPR 50[^<]*)</label>", page)
    (upr50,) = [o for o in options if "UPR 50" in o]
    assert "did not take place" in upr50


# --- file names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Joint submission of the coalition on the right to adequate housing and evictions in the "
        "United States of America",
        "Submission on the rights of Indigenous Peoples and the protection of sacred sites from "
        "extractive industries",
    ],
)
def test_export_file_names_are_never_cut_mid_word(world, title):
    world.report.title = title
    name = exporting.filename_for(world.report, "docx")
    stem = name.removesuffix(".docx")
    assert len(stem) <= 80
    words = stem.split("-")
    full = layout.file_stem(f"UPR{world.report.review.session_id}", "USA", title, limit=500)
    assert full.startswith(stem)
    assert full[len(stem)] == "-", (stem, full)  # the cut falls on a word boundary
    assert words[:2] == ["upr50", "usa"]


def test_a_short_title_is_kept_whole():
    assert layout.file_stem("UPR50", "USA", "Housing") == "upr50-usa-housing"
    assert layout.file_stem("word" * 30, limit=20) == ("word" * 30)[:20]


def test_package_name_is_cut_between_words():
    from tests.reports_export import samples
    from uprhub.reports.export.package import package_filename

    state = "Saint Vincent and the Grenadines " * 5
    doc = samples.small_report(state_code="", state_name=state)
    name = package_filename(doc).removesuffix(".zip")
    full = layout.file_stem("upr-submission", state, "upr-47", limit=500)
    assert len(name) <= 80
    assert full.startswith(name) and full[len(name)] == "-"


def test_download_header_uses_the_cut_name(world, client):
    world.report.title = "A" + " very" * 40 + " long title"
    world.report.save()
    client.force_login(world.lead)
    response = client.get(reverse("reports:export", args=[world.report.pk, "docx"]))
    (name,) = re.findall(r'filename="([^"]+)"', response["Content-Disposition"])
    assert name.endswith("-very.docx")


def test_a_review_date_of_its_own_wins_over_a_cancelled_session_wide_one(world):
    from uprhub.calendar.selectors import with_not_held
    from uprhub.reviews.models import Review

    review_2020 = world.data.review_2020
    DeadlineFactory(
        session=review_2020.session,
        kind=DeadlineKind.REVIEW,
        due=datetime(2020, 11, 2, tzinfo=UTC),
        all_day=True,
        cancelled=True,
    )

    def not_held() -> dict[int, bool]:
        return dict(with_not_held(Review.objects.all()).values_list("session_id", "not_held"))

    assert not_held()[36] is True
    DeadlineFactory(
        review=review_2020,
        kind=DeadlineKind.REVIEW,
        due=datetime(2020, 11, 9, tzinfo=UTC),
        all_day=True,
    )
    assert not_held() == {22: False, 36: False, 50: False}
