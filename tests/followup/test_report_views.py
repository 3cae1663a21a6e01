"""The implementation report's pages: public downloads, and inserting into a shadow report."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest
from django.core.cache import caches
from django.urls import reverse

from tests.followup.report_data import SECRET_RATIONALE, make_round, make_world
from uprhub.followup.models import PositionStatus
from uprhub.reports.models import Report, ReportStatus, SectionKind


@pytest.fixture(autouse=True)
def empty_cache():
    # The downloads are cached by content: a file another test left must not answer here.
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def round_(usa):
    found, _positions = make_round(usa)
    return found


def test_docx_download_is_public(client, round_):
    response = client.get(reverse("followup:report_docx", args=[round_.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="USA-UPR36-implementation-mid-term-2022.docx"'
    )
    text = " ".join(p.text for p in docx.Document(BytesIO(response.content)).paragraphs)
    assert "Death penalty" in text and SECRET_RATIONALE not in text


def test_downloads_404_without_published_positions(client, round_):
    round_.positions.update(status=PositionStatus.IN_REVIEW)
    for name in ("followup:report_docx", "followup:report_pdf"):
        assert client.get(reverse(name, args=[round_.slug])).status_code == 404
    assert client.get(reverse("followup:report_docx", args=["no-such-round"])).status_code == 404


def test_insert_page_404_without_published_positions(client, world):
    world.round.positions.update(status=PositionStatus.DRAFT)
    client.force_login(world.people["lead"])
    assert client.get(reverse("followup:report_insert", args=[world.round.slug])).status_code == 404


def test_pdf_download_or_clear_error(client, round_, monkeypatch):
    from uprhub.reports.export import pdf

    def missing():
        raise pdf.PdfUnavailable("PDF export is not available on this server.")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    response = client.get(reverse("followup:report_pdf", args=[round_.slug]))
    assert response.status_code == 503
    assert "PDF export is not available on this server." in response.content.decode()
    assert reverse("followup:report_docx", args=[round_.slug]) in response.content.decode()


@pytest.fixture
def world(usa):
    return make_world(usa)


def test_insert_needs_an_account(client, world):
    url = reverse("followup:report_insert", args=[world.round.slug])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]


def test_insert_page_lists_only_editable_later_drafts(client, world):
    client.force_login(world.people["drafter"])
    response = client.get(reverse("followup:report_insert", args=[world.round.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<select name="report"' in body and "Submission on the United States (UPR 50)" in body
    assert '<label for="id_report"' in body


@pytest.mark.parametrize("role", ["reviewer", "other"])
def test_insert_page_empty_state(client, world, role):
    client.force_login(world.people[role])
    response = client.get(reverse("followup:report_insert", args=[world.round.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="report"' not in body and "You write no draft report" in body


def test_insert_post_adds_the_section_and_redirects(client, world):
    client.force_login(world.people["lead"])
    url = reverse("followup:report_insert", args=[world.round.slug])
    response = client.post(url, {"report": world.report.pk})
    assert response.status_code == 302
    assert response["Location"] == world.report.get_absolute_url()
    assert world.report.sections.filter(
        kind=SectionKind.FOLLOW_UP, title="Implementation of previous recommendations"
    ).exists()
    again = client.post(url, {"report": world.report.pk})
    assert again.status_code == 400
    assert "remove the section first" in again.content.decode()


@pytest.mark.parametrize("role", ["reviewer", "other"])
def test_insert_post_refused_for_others(client, world, role):
    client.force_login(world.people[role])
    url = reverse("followup:report_insert", args=[world.round.slug])
    response = client.post(url, {"report": world.report.pk})
    assert response.status_code == 400  # not among their choices
    assert not world.report.sections.filter(title__startswith="Implementation").exists()


def test_insert_post_into_a_final_report_is_refused(client, world):
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.FINAL)
    client.force_login(world.people["lead"])
    url = reverse("followup:report_insert", args=[world.round.slug])
    assert client.post(url, {"report": world.report.pk}).status_code == 400
    assert not world.report.sections.filter(title__startswith="Implementation").exists()


def test_actions_include(rf, world):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    html = render_to_string(
        "followup/report/_actions.html", {"round": world.round, "user": AnonymousUser()}
    )
    assert reverse("followup:report_docx", args=[world.round.slug]) in html
    assert reverse("followup:report_pdf", args=[world.round.slug]) in html
    assert reverse("followup:report_insert", args=[world.round.slug]) not in html
    html = render_to_string(
        "followup/report/_actions.html", {"round": world.round, "user": world.people["lead"]}
    )
    assert reverse("followup:report_insert", args=[world.round.slug]) in html


def test_downloads_are_cached_until_a_publication_changes(client, round_, monkeypatch):
    from uprhub.followup import implementation_report as implementation

    url = reverse("followup:report_docx", args=[round_.slug])
    assert client.get(url).status_code == 200
    calls = []
    real = implementation._render
    monkeypatch.setattr(implementation, "_render", lambda *args: calls.append(args) or real(*args))
    assert client.get(url).status_code == 200
    assert calls == []  # served from the cache
    position = round_.positions.get(recommendation__paragraph="26.93")
    position.status = PositionStatus.DRAFT  # withdrawn
    position.save()
    text = " ".join(p.text for p in docx.Document(BytesIO(client.get(url).content)).paragraphs)
    assert len(calls) == 1 and "26.93" not in text
