"""A newcomer's first hour, in a real browser, in English, Spanish and French.

Find recommendations → find the next stakeholder deadline and the rules for a submission →
apply to the UPR Taskforce → subscribe to a mailing list → start a report (registering one's
organisation in the same form), write a paragraph, export it to Word. Every page on the way is
checked with axe-core (no serious or critical violation) and must be in the visitor's language.

Elements are found by URL, form field name and id, never by their (translated) text, so the
same walk runs in the three languages.
"""

from __future__ import annotations

import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, make_user
from tests.calendar.factories import load_reference_rows
from tests.smtp import smtp_controller, smtp_server  # noqa: F401 (fixtures)
from tests.web.factories import make_web_data
from uprhub.calendar import selectors as calendar
from uprhub.calendar.loader import load_calendar
from uprhub.mailinglists.defaults import ensure_default_lists
from uprhub.mailinglists.models import MailingList, Subscription
from uprhub.reports.models import Report
from uprhub.search import service as search

from . import axe

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Words that only appear on the page in that language (a heading or a button of the walk).
LANGUAGES = {
    "en": {"locale": "en-GB", "html_lang": "en"},
    "es": {"locale": "es-ES", "html_lang": "es"},
    "fr": {"locale": "fr-FR", "html_lang": "fr"},
}


def assert_accessible(page, name: str) -> None:
    axe.assert_accessible(page, name, open_details=True)


def in_language(page, language: str, name: str) -> None:
    """The page is served in the visitor's language and says so to screen readers."""
    assert page.locator("html").get_attribute("lang") == LANGUAGES[language]["html_lang"], name
    assert_accessible(page, f"{name} ({language})")


@pytest.fixture
def world(transactional_db, settings, live_server, smtp_server):  # noqa: F811
    settings.UPRHUB_SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    search.clear_caches()
    # The real review calendar (every State's sessions), then recommendations to find.
    load_reference_rows()
    load_calendar()
    data = make_web_data()
    ensure_default_lists(MailingList)
    # A member of the taskforce with no organisation yet: the walk registers theirs.
    make_user("member", email="nadia@example.org", password=PASSWORD, name="Nadia Newcomer")
    return data


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_first_hour(live_server, browser, world, smtp_server, language):  # noqa: F811
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale=LANGUAGES[language]["locale"]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        # 1. The home page leads to every first step.
        page.goto(base + "/")
        in_language(page, language, "home page")
        for url in (
            reverse("recommendations:explorer"),
            reverse("reports:guide"),
            reverse("reports:about"),
        ):
            assert page.locator(f'a[href="{url}"]').count() >= 1, url

        # 2. Find recommendations: the explorer's search box, then a result.
        page.locator(f'a[href="{reverse("recommendations:explorer")}"]').first.click()
        page.locator("#q").fill("torture")
        page.locator("#q").press("Enter")
        # The explorer may update in place (history API) rather than load a new page.
        page.wait_for_function("location.search.includes('q=torture')")
        page.locator("ol.result-list > li").first.wait_for()
        in_language(page, language, "explorer with a query")

        # 3. The next stakeholder deadline of the United States, and the rules to meet it.
        expected = calendar.next_stakeholder_deadline("USA")
        assert expected is not None, "every State has a next stakeholder deadline"
        day = expected.due.astimezone(ZoneInfo(expected.time_zone)).date().isoformat()
        page.goto(base + reverse("calendar:state", args=["USA"]))
        assert f'datetime="{day}' in page.content()
        in_language(page, language, "What's next for the United States")
        page.locator(f'a[href="{reverse("reports:guide")}"]').first.click()
        page.wait_for_url(re.compile(re.escape(reverse("reports:guide")) + "$"))
        in_language(page, language, "submission guide")

        # 4. Apply to the UPR Taskforce (no account needed); the page says the truth about mail.
        page.goto(base + reverse("coalition:apply"))
        in_language(page, language, "application form")
        page.locator('[name="name"]').fill("Ana Advocate")
        page.locator('[name="email"]').fill(f"ana-{language}@example.org")
        page.locator('[name="organisation_name"]').fill("Housing Justice Network")
        page.locator('[name="role_title"]').fill("Organiser")
        page.locator('[name="experience"]').first.check()
        page.locator('[name="city"]').fill("Pittsburgh")
        page.locator('[name="us_state"]').select_option("PA")
        page.locator('[name="languages"]').fill("English, Spanish")
        page.locator('[name="motivation"]').fill("Housing rights in our city.")
        page.locator('form:has([name="motivation"]) [type="submit"]').click()
        page.wait_for_url(re.compile(re.escape(reverse("coalition:apply_done")) + "$"))
        in_language(page, language, "application sent")
        assert smtp_server.to(f"ana-{language}@example.org"), "the confirmation was delivered"

        # 5. Subscribe to the updates list.
        page.goto(base + reverse("mailinglists:index"))
        in_language(page, language, "mailing lists")
        page.locator('[name="email"]').first.fill(f"ana-{language}@example.org")
        page.locator('[name="lists"]').first.check()
        page.locator('form:has([name="lists"]) [type="submit"]').first.click()
        page.wait_for_url(re.compile(re.escape(reverse("mailinglists:subscribe_done")) + "$"))
        in_language(page, language, "subscription sent")
        assert Subscription.objects.filter(subscriber__email=f"ana-{language}@example.org").exists()

        # 6. The report builder explained before signing in, then log in and start a report,
        #    registering one's organisation in the same form.
        page.goto(base + reverse("reports:about"))
        in_language(page, language, "report builder explained")
        page.goto(base + reverse("accounts:login"))
        page.locator('[name="username"]').fill("nadia@example.org")
        page.locator('[name="password"]').fill(PASSWORD)
        page.locator('form:has([name="password"]) [type="submit"]').click()
        page.wait_for_url(re.compile(r"/accounts/profile/$"))
        page.goto(base + reverse("reports:create"))
        in_language(page, language, "new report form")
        review = page.locator('select[name="review"] option[value]:not([value=""])').first
        page.locator('select[name="review"]').select_option(review.get_attribute("value"))
        page.locator('[name="new_organisation_name"]').fill(f"Pittsburgh Tenants {language}")
        page.locator('[name="new_organisation_kind"]').select_option("ngo")
        page.locator('[name="new_organisation_country"]').fill("United States")
        page.locator('form:has([name="new_organisation_name"]) [type="submit"]').last.click()
        page.wait_for_url(re.compile(r"/reports/\d+/(#.*)?$"))
        report = Report.objects.get(members__organisation__name=f"Pittsburgh Tenants {language}")
        in_language(page, language, "new report")

        # 7. Write a paragraph, then export the report to Word.
        new_paragraph = page.locator("form.new-paragraph textarea[name=text]").first
        new_paragraph.fill("Evictions rose sharply in Pittsburgh in 2025.")
        page.locator("form.new-paragraph [type=submit]").first.click()
        page.wait_for_url(re.compile(r"#para-\d+$"))
        in_language(page, language, "report with a paragraph")
        with page.expect_download() as download_info:
            page.locator(f'a[href="{reverse("reports:export", args=[report.pk, "docx"])}"]').click()
        import docx

        with open(download_info.value.path(), "rb") as handle:
            document = docx.Document(io.BytesIO(handle.read()))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Evictions rose sharply in Pittsburgh in 2025." in text
        assert f"Pittsburgh Tenants {language}" in text
    finally:
        context.close()
