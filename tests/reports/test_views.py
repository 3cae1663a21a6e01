"""Report pages end to end (test client): writing, conflicts, history, citing from the
explorer, the live count, uploads, exports, the API and query budgets."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uprhub.reports import services
from uprhub.reports.models import Citation, Paragraph, SectionKind

pytestmark = pytest.mark.django_db

DETAIL_BUDGET = 20


def r(name, *args):
    return reverse(f"reports:{name}", args=args)


def rec(world, number):
    return next(x for x in world.data.recommendations if x.paragraph == number)


@pytest.fixture
def lead_client(client, world):
    client.force_login(world.lead)
    return client


# --- the report page ---------------------------------------------------------------------------


def fill(world, paragraphs: int):
    lead = world.lead
    intro = world.section(SectionKind.INTRODUCTION)
    for i in range(paragraphs):
        p = services.add_paragraph(
            intro, f"Paragraph {i} about torture.", [f"Source {i}"], actor=lead
        )
        services.add_comment(p, f"Comment {i}", actor=world.people["reviewer"])
    services.cite(world.follow_up, world.data.recommendations[2:], actor=lead)
    for i in range(paragraphs):
        services.add_paragraph(
            world.recommendations_section, f"Ratify treaty {i} by 2027.", actor=lead
        )


@pytest.mark.parametrize("size", [1, 12])
def test_report_page_query_budget(world, lead_client, size, django_assert_max_num_queries):
    fill(world, size)
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = lead_client.get(r("detail", world.report.pk))
    assert response.status_code == 200


def test_report_page_shows_numbers_citations_and_checks(world, lead_client):
    fill(world, 1)
    page = lead_client.get(r("detail", world.report.pk)).content.decode()
    assert "Recommendations 26.2 and 26.3 (Brazil, France, Kenya), supported" in page
    assert "recommendation 26.4 (Brazil), supported in part" in page
    assert 'id="number-3"' in page
    assert 'aria-live="polite"' in page and "of 5,630 words" in page
    assert "Estimated action category 5" in page  # "Ratify …" in the recommendations
    assert "&lt;script&gt;" not in page or "<script>alert" not in page  # escaped


def test_reader_sees_text_but_no_forms(world, client):
    fill(world, 1)
    client.force_login(world.people["org_member"])
    page = client.get(r("detail", world.report.pk)).content.decode()
    assert "Paragraph 0 about torture." in page
    assert "<textarea" not in page  # neither writing nor commenting
    assert "Sign off for TU" in page


# --- saving, conflicts, history ----------------------------------------------------------------


@pytest.fixture
def paragraph(world):
    return services.add_paragraph(world.follow_up, "First text.", actor=world.lead)


def test_save_without_javascript(world, lead_client, paragraph):
    response = lead_client.post(
        r("paragraph_edit", world.report.pk, paragraph.pk),
        {"text": "Second text.", "footnotes": "Source one\n\nSource two", "version": 1},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#para-{paragraph.pk}")
    paragraph.refresh_from_db()
    assert paragraph.text == "Second text." and paragraph.footnotes == ["Source one", "Source two"]


def test_second_saver_sees_the_conflict_and_both_texts(world, client, paragraph):
    drafter = world.people["drafter"]
    services.save_paragraph(
        paragraph, "The lead's words.", [], expected_version=1, actor=world.lead
    )
    client.force_login(drafter)
    response = client.post(
        r("paragraph_edit", world.report.pk, paragraph.pk),
        {"text": "The drafter's words.", "footnotes": "", "version": 1},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "The lead&#x27;s words." in page and "The drafter&#x27;s words." in page
    assert 'name="version" value="2"' in page  # saving again goes over what they have seen
    paragraph.refresh_from_db()
    assert paragraph.text == "The lead's words."


def test_autosave_json(world, lead_client, paragraph):
    url = r("autosave", world.report.pk, paragraph.pk)
    ok = lead_client.post(url, {"text": "Autosaved.", "version": 1, "autosave": "1"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = lead_client.post(url, {"text": "Old tab.", "version": 1, "autosave": "1"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["theirs"]["text"] == "Autosaved." and body["theirs"]["version"] == 2
    assert body["yours"]["text"] == "Old tab."
    assert "Lena Lead" in body["message"]


def test_history_diff_and_restore(world, lead_client, paragraph):
    services.save_paragraph(
        paragraph, "First text, changed.", ["n"], expected_version=1, actor=world.lead
    )
    page = lead_client.get(r("paragraph_history", world.report.pk, paragraph.pk)).content.decode()
    assert "<ins>" in page and "Version 2" in page and "Restore version 1" in page
    first = paragraph.revisions.get(version=1)
    response = lead_client.post(r("restore", world.report.pk, first.pk), {"version": 2})
    assert response.status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.text == "First text." and paragraph.version == 3


def test_removed_paragraph_can_come_back(world, lead_client, paragraph):
    lead_client.post(r("paragraph_remove", world.report.pk, paragraph.pk), {"version": 1})
    assert not Paragraph.objects.current().filter(pk=paragraph.pk).exists()
    page = lead_client.get(r("removed", world.report.pk)).content.decode()
    assert "First text." in page
    assert lead_client.get(r("paragraph_history", world.report.pk, paragraph.pk)).status_code == 200


def test_stale_cover_save_shows_what_is_stored(world, lead_client):
    data = {
        "title": "Mine",
        "submission_type": "joint",
        "organisations": [o.pk for o in world.organisations],
        "contact_name": "C",
        "contact_email": "c@example.org",
        "key_words": "",
        "language": "en",
        "version": 1,
    }
    assert lead_client.post(r("cover", world.report.pk), data).status_code == 302
    again = lead_client.post(r("cover", world.report.pk), {**data, "title": "Theirs"})
    assert again.status_code == 409
    assert "Someone saved the cover details" in again.content.decode()


# --- live count --------------------------------------------------------------------------------


def test_live_count_with_unsaved_text(world, lead_client, paragraph):
    url = r("count", world.report.pk)
    before = lead_client.post(url, {"paragraph": paragraph.pk, "text": paragraph.text}).json()
    after = lead_client.post(
        url, {"paragraph": paragraph.pk, "text": paragraph.text + " three more words"}
    ).json()
    assert after["words"] == before["words"] + 3
    assert after["limit"] == 5630 and "of 5,630 words" in after["summary"]
    assert after["estimate"] is None  # not a proposed recommendation
    Paragraph.objects.get(pk=paragraph.pk)  # nothing was saved
    assert Paragraph.objects.get(pk=paragraph.pk).text == "First text."


def test_live_count_for_a_new_recommendation(world, lead_client):
    response = lead_client.post(
        r("count", world.report.pk),
        {"section": world.recommendations_section.pk, "text": "Ensure that torture ends"},
    ).json()
    assert response["estimate"]["category"] == 4
    assert {h["code"]: h["met"] for h in response["hints"]}["specific"] is False


def test_live_count_warns_when_the_language_differs(world, lead_client, paragraph):
    spanish = (
        "El gobierno de los Estados Unidos debe garantizar que las personas que están en la "
        "cárcel no sean torturadas y que los casos de tortura sean investigados por la justicia."
    )
    body = lead_client.post(
        r("count", world.report.pk), {"paragraph": paragraph.pk, "text": spanish}
    ).json()
    warnings = [f for f in body["findings"] if f["severity"] == "warning"]
    assert any("Spanish" in f["message"] for f in warnings)


# --- citing from the explorer ------------------------------------------------------------------


def test_cite_from_the_explorer(world, lead_client):
    explorer = reverse("recommendations:explorer") + "?state=USA"
    page = lead_client.get(explorer).content.decode()
    assert page.count("Add to report") == 7  # every US result
    assert page.count("<form") == page.count("</form>")  # no form inside the search form
    target = rec(world, "26.2")
    cite_page = lead_client.get(r("cite"), {"recommendation": target.pk, "next": explorer})
    assert cite_page.status_code == 200
    html = cite_page.content.decode()
    assert "Torture" in html and "Continue efforts to end torture" in html
    # The first follow-up issue is chosen when nothing was cited before.
    assert f'value="{world.follow_up.pk}" checked' in html
    response = lead_client.post(
        r("cite"),
        {"section": world.follow_up.pk, "recommendation": target.pk, "next": explorer},
    )
    assert response.status_code == 302
    assert response["Location"] == explorer + f"#cite-{target.pk}"
    assert Citation.objects.filter(section=world.follow_up, recommendation=target).exists()
    page = lead_client.get(explorer).content.decode()
    assert "Cited in Joint submission on the United States › Torture" in page


def test_cite_in_place_on_the_recommendation_page(world, lead_client):
    intro = world.section(SectionKind.INTRODUCTION)
    target = rec(world, "26.1")
    page = lead_client.get(target.get_absolute_url()).content.decode()
    assert "Add to report" in page and 'name="section"' in page
    lead_client.post(
        r("cite"),
        {"section": intro.pk, "recommendation": target.pk, "next": target.get_absolute_url()},
    )
    page = lead_client.get(target.get_absolute_url()).content.decode()
    # The last section used is chosen for the next citation.
    assert f'<option value="{intro.pk}" selected>' in page


def test_cite_page_without_drafts(world, client):
    client.force_login(world.people["outsider"])
    page = client.get(r("cite"), {"recommendation": rec(world, "26.1").pk}).content.decode()
    assert "You write no draft report on United States" in page and "Start a report" in page
    assert client.get(r("cite"), {"recommendation": "x"}).status_code == 404


def test_cite_button_only_for_people_with_drafts(world, client):
    explorer = reverse("recommendations:explorer") + "?state=USA"
    assert "Add to report" not in client.get(explorer).content.decode()
    client.force_login(world.people["reviewer"])
    assert "Add to report" not in client.get(explorer).content.decode()
    client.force_login(world.people["drafter"])
    assert "Add to report" in client.get(explorer).content.decode()


def test_explorer_queries_do_not_grow_with_results(
    world, lead_client, django_assert_max_num_queries
):
    explorer = reverse("recommendations:explorer")
    lead_client.get(explorer)  # warm the search index
    with django_assert_max_num_queries(7 + 6):  # the explorer's budget + user, drafts, citations
        response = lead_client.get(explorer)
    # ...for a full page: every result shown, each with its "Add to report" button.
    hits = response.context["result"].hits
    assert hits and response.content.decode().count("Add to report") >= len(hits)


def test_cite_unsafe_next_is_ignored(world, lead_client):
    response = lead_client.post(
        r("cite"),
        {
            "section": world.follow_up.pk,
            "recommendation": rec(world, "26.1").pk,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"].startswith(world.report.get_absolute_url())


def test_cite_bad_input(world, lead_client):
    before = Citation.objects.count()
    assert lead_client.post(r("cite"), {"section": "x"}).status_code == 400
    assert lead_client.post(r("cite"), {"section": world.follow_up.pk}).status_code == 400
    assert Citation.objects.count() == before  # nothing was cited


# --- upload check ------------------------------------------------------------------------------


def docx_bytes(world) -> bytes:
    from uprhub.reports.export.docx import build_docx
    from uprhub.reports.selectors import report_with_everything
    from uprhub.reports.to_document import to_document

    services.add_paragraph(
        world.section(SectionKind.INTRODUCTION),
        "We report on torture in prisons.",
        actor=world.lead,
    )
    return build_docx(to_document(report_with_everything(world.report.pk)))


def test_upload_a_good_docx(world, client):
    client.force_login(world.people["registered"])
    upload = SimpleUploadedFile("draft.docx", docx_bytes(world))
    response = client.post(r("upload_check"), {"file": upload, "submission_type": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Result for draft.docx" in page and "words with footnotes" in page


def test_upload_a_bad_file_says_why(world, client):
    client.force_login(world.people["registered"])
    upload = SimpleUploadedFile("draft.docx", b"This is plain text, not a Word document.")
    response = client.post(r("upload_check"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please correct the following" in page
    assert 'class="errorlist' in page


def test_upload_refuses_other_extensions(world, client):
    client.force_login(world.people["registered"])
    upload = SimpleUploadedFile("draft.pdf", b"%PDF-1.7")
    response = client.post(r("upload_check"), {"file": upload})
    assert response.status_code == 400
    assert "ending in .docx" in response.content.decode()


# --- export ------------------------------------------------------------------------------------


def test_export_docx(world, lead_client):
    services.add_paragraph(world.follow_up, "Text.", actor=world.lead)
    services.cite(world.follow_up, [rec(world, "26.1")], actor=world.lead)
    response = lead_client.get(r("export", world.report.pk, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="upr50-usa-')
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Recommendation 26.1 (Kenya), noted." in text


def test_export_zip_package(world, lead_client):
    import zipfile

    services.add_paragraph(world.follow_up, "Text.", actor=world.lead)
    response = lead_client.get(r("export", world.report.pk, "zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "report.docx" in names and "validation.json" in names


def test_export_pdf_or_a_clear_message(world, lead_client, monkeypatch):
    from uprhub.reports.export import pdf

    services.add_paragraph(world.follow_up, "Text.", actor=world.lead)
    response = lead_client.get(r("export", world.report.pk, "pdf"))
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF")

    def unavailable(doc):
        raise pdf.PdfUnavailable("No PDF engine here.")

    monkeypatch.setattr(pdf, "build_pdf", unavailable)
    response = lead_client.get(r("export", world.report.pk, "pdf"), follow=True)
    assert "No PDF engine here." in response.content.decode()


def test_unknown_export_format(world, lead_client):
    response = lead_client.get(r("export", world.report.pk, "odt"))
    assert response.status_code == 302


# --- API ---------------------------------------------------------------------------------------


@pytest.mark.urls("tests.reports.api_urls")
def test_api_list_and_detail(world, client):
    services.add_paragraph(world.follow_up, "Torture persists.", actor=world.lead)
    assert client.get("/test-api/reports/").status_code == 401
    client.force_login(world.people["outsider"])
    assert client.get("/test-api/reports/").json() == []
    assert client.get(f"/test-api/reports/{world.report.pk}").status_code == 403
    client.force_login(world.people["reviewer"])
    listed = client.get("/test-api/reports/").json()
    assert [(x["id"], x["role"], x["paragraphs"]) for x in listed] == [
        (world.report.pk, "reviewer", 1)
    ]
    one = client.get(f"/test-api/reports/{world.report.pk}").json()
    assert one["validation"]["limit"] == 5630
    torture = next(s for s in one["document"]["sections"] if s["title"] == "Torture")
    assert torture["paragraphs"][0] == {"number": 1, "text": "Torture persists.", "footnotes": []}
    assert client.get("/test-api/reports/999999").status_code == 404


@pytest.mark.urls("tests.reports.api_urls")
def test_api_validate_upload(world, client):
    payload = docx_bytes(world)
    client.force_login(world.people["registered"])
    good = client.post(
        "/test-api/reports/validate", {"file": SimpleUploadedFile("d.docx", payload)}
    )
    assert good.status_code == 200, good.content
    assert good.json()["validation"]["word_count"] > 0
    bad = client.post(
        "/test-api/reports/validate", {"file": SimpleUploadedFile("d.docx", b"not a docx")}
    )
    assert bad.status_code == 400
    assert json.loads(bad.content)["detail"]
