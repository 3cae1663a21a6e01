"""Write a joint shadow report in a real browser: create it, cite three US recommendations from
the explorer, write a paragraph while the word count and the checks update, then export it
to Word. axe-core checks every report page (no serious or critical violation)."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, OrganisationFactory, make_user
from tests.web.factories import make_web_data
from uprhub.accounts.models import Membership
from uprhub.search import service as search

from . import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page, name: str) -> None:
    axe.assert_accessible(page, name, open_details=True)


@pytest.fixture
def world(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    search.clear_caches()
    data = make_web_data()
    ahr = OrganisationFactory(
        name="Advocates for Human Rights",
        acronym="AHR",
        city="Minneapolis",
        description="Founded in 1983, AHR documents human rights abuses.",
    )
    # No description: the cover check warns about it.
    tenants = OrganisationFactory(name="Tenants United", acronym="TU", city="Detroit")
    lead = make_user("member", email="lena@example.org", password=PASSWORD, name="Lena Lead")
    Membership.objects.create(user=lead, organisation=ahr)
    return data, ahr, tenants


def log_in(page, base: str) -> None:
    page.goto(base + reverse("accounts:login"))
    page.get_by_label("E-mail address").fill("lena@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))


def test_write_a_joint_report(live_server, page, world):
    data, ahr, tenants = world
    base = live_server.url
    log_in(page, base)

    # 1. Start a joint report on the United States' 4th-cycle review.
    page.goto(base + reverse("reports:list"))
    assert_accessible(page, "report list")
    page.get_by_role("link", name="Start a report").click()
    assert_accessible(page, "new report form")
    page.get_by_label("State and session").select_option(label="United States — UPR 50 (cycle 4)")
    page.get_by_role("radio", name="Joint submission").check()
    page.get_by_role("checkbox", name=re.compile(r"^Advocates for Human Rights")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Tenants United")).check()
    page.get_by_label("Key words").fill("torture, detention")
    page.get_by_role("button", name="Start the report").click()
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    report_url = page.url
    assert "Joint submission to the Universal Periodic Review" in page.inner_text("h1")

    # 2. One follow-up section per issue.
    page.get_by_label("Part of the report").select_option("follow_up")
    page.get_by_label("Heading").last.fill("Torture and detention")
    page.get_by_role("button", name="Add section").click()
    page.wait_for_url(re.compile(r"#section-\d+$"))

    # 3. Cite three US recommendations from the explorer.
    page.goto(base + reverse("recommendations:explorer") + "?state=USA&cycle=3&sort=paragraph")
    assert_accessible(page, "explorer with Add to report")
    for number in ("26.1", "26.2", "26.3"):
        # Chromium puts a space before the visually hidden part of the name.
        name = re.compile(rf"^Add to report ?: recommendation {re.escape(number)}$")
        page.get_by_role("link", name=name).click()
        page.wait_for_url(re.compile(r"/reports/cite/"))
        if number == "26.1":
            assert_accessible(page, "cite page")
        page.get_by_role("radio", name=re.compile(r"^Torture and detention")).check()
        page.get_by_role("button", name="Add to report").click()
        page.wait_for_url(re.compile(r"/recommendations/\?.*#cite-\d+$"))
        anchor = page.url.rsplit("#", 1)[1]
        assert "Cited in" in page.locator(f"#{anchor}").inner_text()

    # 4. The report shows them the customary way, grouped by position.
    page.goto(report_url)
    citation = page.locator("p.citation")
    assert citation.inner_text() == (
        "Recommendations 26.2 and 26.3 (Brazil, France, Kenya), supported; "
        "recommendation 26.1 (Kenya), noted."
    )

    # 5. Write a paragraph: the word count follows the typing; the checks show a warning.
    counter = page.locator("#word-count")
    before = counter.inner_text()
    assert "of 5,630 words" in before
    new = page.get_by_label("New paragraph in “Torture and detention”")
    new.press_sequentially("Torture persists in immigration detention centres.", delay=10)
    page.wait_for_function(
        "before => { const t = document.getElementById('word-count').textContent;"
        " return t !== before && t.includes('of 5,630 words'); }",
        arg=before,
    )
    after = int(counter.inner_text().split(" of ")[0].replace(",", ""))
    assert after == int(before.split(" of ")[0].replace(",", "")) + 6
    assert page.locator("#findings-all .finding").count() >= 1  # the checks are listed
    page.get_by_role("button", name="Add paragraph").nth(1).click()
    page.wait_for_url(re.compile(r"#para-\d+$"))

    # A proposed recommendation gets a warning while it is typed: "Ensure" is not a specific,
    # checkable action, and it names no target, time frame or authority.
    rec_box = page.get_by_label("New recommendation in “Recommendations”")
    rec_box.press_sequentially("Ensure that detainees are protected", delay=5)
    form = page.locator("form.new-paragraph").filter(has=rec_box)
    warning = form.locator("[data-quality] .finding-warning")
    warning.wait_for()
    assert "Estimated action category 4" in warning.inner_text()
    assert "✗ Specific action" in warning.inner_text()
    page.get_by_role("button", name="Add recommendation").click()
    page.wait_for_url(re.compile(r"#para-\d+$"))
    assert page.locator(".report-paragraph .estimate.finding-warning").count() == 1

    # Editing a paragraph autosaves it (on leaving the box) with its version.
    box = page.get_by_label("Text of paragraph 2")
    box.focus()
    box.press("Control+End")
    box.press_sequentially(" Reports document abuse.", delay=5)
    page.get_by_role("link", name="History of paragraph 2").focus()
    expect_saved = page.locator("#para-" + box.evaluate("el => el.id.split('-')[1]"))
    expect_saved.locator("[data-save-status]").filter(has_text="Saved").wait_for()
    assert_accessible(page, "report page")

    # 6. Export to Word.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word (.docx)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    import docx

    with open(download.path(), "rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Torture persists in immigration detention centres. Reports document abuse." in text
    assert "Recommendations 26.2 and 26.3 (Brazil, France, Kenya), supported" in text
    assert "Advocates for Human Rights" in text

    # 7. The other report pages are accessible too.
    page.get_by_role("link", name="History of paragraph 2").click()
    assert_accessible(page, "history page")
    page.goto(report_url + "quality/")
    assert_accessible(page, "quality page")
    page.goto(report_url + "cover/")
    assert_accessible(page, "cover page")
    page.goto(report_url + "people/")
    assert_accessible(page, "people page")
    page.goto(base + reverse("reports:upload_check"))
    assert_accessible(page, "upload check page")


def test_report_page_works_without_javascript(live_server, browser, world):
    data, ahr, tenants = world
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        log_in(page, live_server.url)
        page.goto(live_server.url + reverse("reports:create"))
        page.get_by_label("State and session").select_option(
            label="United States — UPR 50 (cycle 4)"
        )
        page.get_by_role("checkbox", name=re.compile(r"^Advocates for Human Rights")).check()
        page.get_by_role("button", name="Start the report").click()
        page.wait_for_url(re.compile(r"/reports/\d+/$"))
        page.get_by_label("New paragraph in “Introduction”").fill("A summary.")
        page.get_by_role("button", name="Add paragraph").first.click()
        page.get_by_label("Text of paragraph 1").fill("A longer summary of the main points.")
        page.get_by_role("button", name="Save paragraph 1").click()
        page.wait_for_url(re.compile(r"#para-\d+$"))
        assert "The paragraph is saved." in page.content()
        assert page.get_by_label("Text of paragraph 1").input_value() == (
            "A longer summary of the main points."
        )
    finally:
        context.close()


def test_start_a_report_with_a_new_organisation(live_server, page, world):
    """Someone in no organisation yet registers theirs in the form that starts the report;
    a first try with nothing chosen says what is missing, with a link to the field."""
    from uprhub.accounts.models import Organisation, OrganisationRole

    newcomer = make_user("member", email="nadia@example.org", password=PASSWORD, name="Nadia")
    base = live_server.url
    page.goto(base + reverse("accounts:login"))
    page.get_by_label("E-mail address").fill("nadia@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/profile/$"))

    page.goto(base + reverse("reports:list"))
    page.get_by_role("link", name="Start a report").click()
    assert page.get_by_role("group", name="Register your organisation").is_visible()
    assert_accessible(page, "new report form, no organisation yet")
    page.get_by_label("State and session").select_option(label="United States — UPR 50 (cycle 4)")
    page.get_by_role("button", name="Start the report").click()

    summary = page.get_by_role("alert")
    assert "Give your organisation's name" in summary.inner_text()
    assert_accessible(page, "new report form with errors")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_new_organisation_name"

    page.get_by_label("Name of your organisation").fill("Detroit Tenants Union")
    page.get_by_label("Acronym (optional)").fill("DTU")
    page.get_by_label("Type of organisation").select_option("ngo")
    page.get_by_label("City (optional)").fill("Detroit")
    page.get_by_label("Country").fill("United States")
    page.get_by_role("button", name="Start the report").click()
    # The browser keeps the fragment of the error link through the redirect.
    page.wait_for_url(re.compile(r"/reports/\d+/(#.*)?$"))
    assert "Your organisation is registered and you are its contact person." in page.content()
    assert "Detroit Tenants Union" in page.content()

    organisation = Organisation.objects.get(name="Detroit Tenants Union")
    assert organisation.verified_at is None  # a claim for a coordinator to confirm
    assert organisation.memberships.get().user == newcomer
    assert organisation.memberships.get().role_in_org == OrganisationRole.CONTACT
