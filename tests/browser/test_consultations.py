"""Giving testimony in a real browser, on a phone-sized screen, in English, Spanish and
French: axe-clean form, receipt and "my testimony" pages, and the form works without
JavaScript."""

from __future__ import annotations

import os

import pytest

from tests.browser.axe import assert_accessible
from tests.factories import ReviewFactory, StateFactory
from uprhub.consultations import services
from uprhub.consultations.models import Identity, Testimony

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("UPRHUB_SCREENSHOTS", "")
LOCALES = {"en": "en-GB", "es": "es-ES", "fr": "fr-FR"}


@pytest.fixture
def consultation(transactional_db):
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    return services.create_consultation(
        actor=None, slug="pittsburgh", review=review, title="Pittsburgh listens", place="Pittsburgh"
    )


@pytest.mark.parametrize("language", list(LOCALES))
def test_give_testimony_on_a_phone(live_server, browser, consultation, language):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale=LOCALES[language],
        java_script_enabled=False,  # the pages need none
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/listen/{consultation.slug}/")
        assert page.locator("html").get_attribute("lang") == language
        page.locator(f"a[href='/listen/{consultation.slug}/give/']").click()
        page.locator("#id_text").fill("Nos cortan el agua cada verano.")
        page.locator("#id_language").select_option(language)
        page.locator("#id_quote_anonymously").check()
        page.locator("#id_name").fill("Ana Lucía Torres")
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/consultation-form-{language}.png", full_page=True)
        page.locator("main form button[type=submit]").click()
        code = page.locator("#receipt-code").inner_text().strip()
        assert len(code) == 24
        if SCREENSHOTS:
            page.screenshot(
                path=f"{SCREENSHOTS}/consultation-receipt-{language}.png", full_page=True
            )
        testimony = Testimony.objects.get()
        assert testimony.language == language and testimony.quote_anonymously
        assert not testimony.quote_named and not testimony.fears_reprisals
        assert Identity.objects.filter(testimony=testimony).exists()

        page.goto(f"{live_server.url}/listen/{consultation.slug}/mine/")
        page.locator("#id_code").fill(code.lower())
        page.locator("button[value=open]").click()
        assert page.locator("#id_text").input_value() == "Nos cortan el agua cada verano."
    finally:
        context.close()

    # axe needs JavaScript: the same pages again, checked as they are.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=LOCALES[language])
    page = context.new_page()
    try:
        for path in ("", "give/", "mine/"):
            page.goto(f"{live_server.url}/listen/{consultation.slug}/{path}")
            assert_accessible(page, f"{language} /listen/…/{path}")
        page.locator("#id_code").fill(code)
        page.locator("button[value=open]").click()
        assert_accessible(page, f"{language} my testimony")
        # The form fits a phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
