"""The synthesis page in a real browser, on a phone-sized screen: axe-clean, charts with their
tables, no quote from risk-flagged testimony."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.browser.axe import assert_accessible
from tests.factories import RecommendationFactory, ReviewFactory, StateFactory, ThemeFactory
from uprhub.consultations import services
from uprhub.consultations.models import ConsultationRoleKind, TestimonyStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("UPRHUB_SCREENSHOTS", "")
PASSWORD = "a long and private passphrase 42"


@pytest.fixture
def world(transactional_db):
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    consultation = services.create_consultation(
        actor=None, slug="pittsburgh", review=review, title="Pittsburgh listens", place="Pittsburgh"
    )
    moderator = make_user("registered", email="mo@example.org", password=PASSWORD)
    services.assign_role(consultation, moderator, ConsultationRoleKind.MODERATOR, actor=None)
    police = ThemeFactory(name="Human rights violations by state agents")
    housing = ThemeFactory(name="Right to housing")
    rec = RecommendationFactory(
        review=review,
        paragraph="26.253",
        text="Take adequate measures to put an end to police violence",
        recommenders=[StateFactory(code="ZAF", short_name="South Africa")],
    )
    rows = [
        ("Officers broke my nephew's arm at a traffic stop.", "en", False, police),
        ("Nos desalojaron en pleno invierno.", "es", False, housing),
        ("Words of someone who fears reprisals.", "fr", True, police),
    ]
    for text, language, risk, theme in rows:
        testimony, _code = services.submit_testimony(
            consultation,
            services.TestimonyInput(
                text=text, language=language, quote_anonymously=True, fears_reprisals=risk
            ),
        )
        testimony.status = TestimonyStatus.APPROVED
        testimony.save(update_fields=["status"])
        services.add_tag(testimony, actor=moderator, theme=theme)
        services.add_tag(testimony, actor=moderator, recommendation=rec)
    return consultation


def test_synthesis_on_a_phone(live_server, browser, world):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + reverse("accounts:login"))
        page.get_by_label("E-mail address").fill("mo@example.org")
        page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(live_server.url + reverse("consultations:synthesis", args=[world.slug]))
        assert page.get_by_role("heading", level=1).inner_text().startswith("What people said")
        assert page.locator("svg.bar-chart").count() == 3
        assert page.locator("table").count() == 4  # three chart twins and the recommendations
        body = page.locator("main").inner_text()
        assert "Officers broke my nephew" in body and "Nos desalojaron" in body
        assert "Words of someone" not in body
        assert "South Africa" in body and "26.253" in body
        assert page.get_by_role("link", name="Create report section").is_visible()
        assert_accessible(page, "synthesis")
        if SCREENSHOTS:
            page.screenshot(path=f"{SCREENSHOTS}/consultation-synthesis.png", full_page=True)
    finally:
        context.close()
