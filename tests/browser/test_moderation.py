"""Moderating with the keyboard in a real browser: j/k through the queue and the items, a/r/x
to decide (never while typing in a field), axe-clean queue and item pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import make_user
from tests.browser.axe import assert_accessible
from tests.factories import ReviewFactory, StateFactory
from uprhub.consultations import services
from uprhub.consultations.models import ModerationDecision, Testimony, TestimonyStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    consultation = services.create_consultation(
        actor=None, slug="pittsburgh", review=review, title="Pittsburgh listens"
    )
    moderator = make_user("registered")
    services.assign_role(consultation, moderator, "moderator", actor=None)
    items = []
    for hours, text, risk in (
        (3, "Officer Brandt stopped my son Darnell at 4417 Penn Avenue.", False),
        (2, "They will come for us if they know we spoke.", True),
        (1, "No water since March; write to ana@example.org.", False),
    ):
        testimony, _code = services.submit_testimony(
            consultation,
            services.TestimonyInput(text=text, language="en", fears_reprisals=risk),
        )
        created = timezone.now() - datetime.timedelta(hours=hours)
        Testimony.objects.filter(pk=testimony.pk).update(created_at=created)
        items.append(testimony)
    return consultation, moderator, items


def logged_in(page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_moderate_with_the_keyboard(live_server, page, world):
    consultation, moderator, (first, risky, last) = world
    base = live_server.url
    logged_in(page, base, moderator)
    item = f"{base}/listen/{consultation.slug}/moderate/%d/"

    page.goto(f"{base}/listen/{consultation.slug}/moderate/")
    assert_accessible(page, "moderation queue")
    assert page.locator("tr.at-risk .risk-flag").inner_text() == "Fears reprisals"
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.textContent") == f"Item {first.pk}"
    page.keyboard.press("Enter")
    page.wait_for_url(item % first.pk)
    assert_accessible(page, "moderation item")
    assert page.locator("[aria-keyshortcuts=a]").count() == 1

    page.keyboard.press("j")  # next item of the tab
    page.wait_for_url(item % risky.pk)
    assert page.locator(".risk-banner").is_visible()
    page.keyboard.press("k")
    page.wait_for_url(item % first.pk)

    page.keyboard.press("a")  # approve: the next new item opens
    page.wait_for_url(item % risky.pk)
    assert Testimony.objects.get(pk=first.pk).status == TestimonyStatus.APPROVED
    assert page.locator(".messages").inner_text().strip() == f"Testimony {first.pk}: Approved."

    # Letters typed into the form's fields are text, not shortcuts.
    page.locator("#id_note").fill("")
    page.locator("#id_note").press_sequentially("axe risk")
    assert page.locator("#id_note").input_value() == "axe risk"
    assert Testimony.objects.get(pk=risky.pk).status == TestimonyStatus.NEW
    page.locator("h1").click()  # out of the field
    page.keyboard.press("r")
    page.wait_for_url(item % last.pk)
    decision = ModerationDecision.objects.get(testimony=risky)
    assert (decision.to_status, decision.note) == ("needs_redaction", "axe risk")

    page.keyboard.press("x")  # the last one: back to the queue, nothing left
    page.wait_for_url(re.compile(rf"/listen/{consultation.slug}/moderate/$"))
    assert Testimony.objects.get(pk=last.pk).status == TestimonyStatus.REJECTED
    assert "No testimony is waiting for a decision." in page.locator(".messages").inner_text()
