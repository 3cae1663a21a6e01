"""The public submission guide in a real browser: reached from the home page and the calendar
without signing in, readable with the keyboard, axe clean in English, Spanish and French."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.web.factories import make_web_data
from uprhub.search import service as search

from .test_reports import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def data(transactional_db):
    search.clear_caches()
    return make_web_data()


def test_a_newcomer_finds_the_guide_from_home_and_calendar(live_server, page, data):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="How to write a stakeholder submission").first.click()
    page.wait_for_url(re.compile(r"/reports/guide/$"))
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "How to write a stakeholder submission"
    assert "2,815" in page.locator(".guide-limits").inner_text()
    # The contents lead to each part, by keyboard too.
    page.get_by_role("link", name="Deadline", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#deadline$"))
    assert "23:59 Geneva time" in page.locator("#deadline").inner_text()
    assert_accessible(page, "guide")

    page.goto(live_server.url + reverse("calendar:index"))
    page.get_by_role("link", name="How to write a stakeholder submission").click()
    page.wait_for_url(re.compile(r"/reports/guide/$"))


@pytest.mark.parametrize(("locale", "lang"), [("es-ES", "es"), ("fr-FR", "fr")])
def test_the_guide_in_spanish_and_french_is_accessible(live_server, browser, data, locale, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("reports:guide"))
        assert page.locator("html").get_attribute("lang") == lang
        # Figures are grouped the language's way (a no-break space: "2 815").
        assert "2\xa0815" in page.locator(".guide-limits").inner_text()
        assert_accessible(page, f"guide ({lang})")
    finally:
        context.close()
