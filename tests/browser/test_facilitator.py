"""Facilitator mode in a real browser with no connection: entries are kept on the device, shown
as "N waiting to send", sent when the connection returns, stored exactly once (also when an
answer is lost or the queue is sent again), and kept when the session expired meanwhile."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import make_user
from tests.browser.axe import assert_accessible
from tests.factories import ReviewFactory, StateFactory
from uprhub.consultations import crypto, services
from uprhub.consultations.models import ConsultationRoleKind, Testimony, TestimonySource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple 42"
EMAIL = "fatima@example.org"
TEXTS = [
    "The landlord turned off the heat in January.",
    "My brother was held three days without a lawyer.",
    "The school has no interpreter for parents.",
]


@pytest.fixture
def consultation(transactional_db):
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    consultation = services.create_consultation(
        actor=None, slug="pittsburgh", review=review, title="Pittsburgh listens", place="Pittsburgh"
    )
    user = make_user("registered", email=EMAIL, password=PASSWORD, name="Fatima Facilitator")
    services.assign_role(consultation, user, ConsultationRoleKind.FACILITATOR, actor=None)
    return consultation


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    context.close()


def log_in(page, base: str, next_path: str) -> None:
    page.goto(f"{base}{reverse('accounts:login')}?next={next_path}")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def enter(page, text: str, *, quote: bool = True) -> str:
    page.locator("#id_text").fill(text)
    page.locator("#id_language").select_option("en")
    if quote:
        page.locator("#id_quote_anonymously").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_text")).to_have_value("")  # kept, and the form is cleared
    code = page.locator("#offline-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9-]{24}$"))
    return code.inner_text().strip()


def queue(page) -> list[dict]:
    return json.loads(page.evaluate("localStorage.getItem('uprhub.facilitate.pittsburgh')") or "[]")


def test_offline_entries_are_sent_once_when_the_connection_returns(
    live_server, phone, consultation
):
    context, page = phone
    base = live_server.url
    path = reverse("consultations:facilitate", args=[consultation.slug])
    log_in(page, base, path)
    assert_accessible(page, "facilitator mode")
    status = page.locator("#facilitate-status")
    assert status.get_attribute("aria-live") == "polite"

    # 1. No connection at the venue: three people give testimony.
    context.set_offline(True)
    codes = [enter(page, text) for text in TEXTS]
    expect(page.locator("#facilitate-status")).to_contain_text("3 waiting to send")
    assert status.inner_text() == "3 waiting to send"
    assert all(crypto.is_receipt_code(code) for code in codes) and len(set(codes)) == 3
    assert not Testimony.objects.exists()
    stored_queue = queue(page)
    assert [entry["text"] for entry in stored_queue] == TEXTS
    assert all(entry["quote_anonymously"] is True for entry in stored_queue)
    assert all(entry["fears_reprisals"] is False for entry in stored_queue)
    assert_accessible(page, "facilitator mode, offline with entries waiting")

    # 2. The connection returns: all three are sent, each once, and leave the device.
    context.set_offline(False)
    expect(page.locator("#facilitate-status")).to_have_text("Everything is sent.")
    assert queue(page) == []
    stored = Testimony.objects.order_by("pk")
    assert [t.text for t in stored] == TEXTS
    assert {t.source for t in stored} == {TestimonySource.FACILITATOR}
    assert [str(t.client_id) for t in stored] == [e["client_id"] for e in stored_queue]
    for code, testimony in zip(codes, stored, strict=True):
        # The code written on the person's card opens their testimony.
        assert services.find_by_receipt(consultation, code).pk == testimony.pk

    # 3. The same queue sent again (as after lost answers): 200s, no duplicate.
    answers = page.evaluate(
        """async (entries) => {
            const token = document.querySelector('input[name=csrfmiddlewaretoken]').value;
            const out = [];
            for (const entry of entries) {
                const r = await fetch('sync/', {method: 'POST', credentials: 'same-origin',
                    headers: {'Content-Type': 'application/json', 'X-CSRFToken': token},
                    body: JSON.stringify(entry)});
                out.push([r.status, (await r.json()).client_id]);
            }
            return out;
        }""",
        stored_queue,
    )
    assert answers == [[200, entry["client_id"]] for entry in stored_queue]
    assert Testimony.objects.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits a phone

    # The sessions page of the people who run it (a facilitator does).
    page.goto(base + reverse("consultations:sessions", args=[consultation.slug]))
    page.get_by_label("Starts").fill("2027-03-14T18:00")
    page.get_by_label("Place").fill("Hill District Library")
    page.get_by_role("button", name="Add the session").click()
    expect(page.locator("main table")).to_contain_text("Hill District Library")
    assert_accessible(page, "in-person sessions")


def test_a_lost_answer_is_sent_again_and_stored_once(live_server, phone, consultation):
    context, page = phone
    path = reverse("consultations:facilitate", args=[consultation.slug])
    log_in(page, live_server.url, path)
    lost = []

    def lose_the_answer(route):
        # The server gets the entry and stores it; the answer never reaches the device.
        route.fetch()
        lost.append(route.request.post_data)
        route.abort("connectionreset")

    page.route("**/facilitate/sync/", lose_the_answer)
    enter(page, "The clinic closed and nobody told us.")
    expect(page.locator("#facilitate-status")).to_have_text("1 waiting to send")
    page.wait_for_timeout(300)
    assert len(lost) == 1 and Testimony.objects.count() == 1  # stored, but the device kept it
    assert len(queue(page)) == 1
    page.unroute("**/facilitate/sync/")
    page.locator("#send-now").click()
    expect(page.locator("#facilitate-status")).to_have_text("Everything is sent.")
    assert Testimony.objects.count() == 1 and queue(page) == []


def test_entries_survive_an_expired_session(live_server, phone, consultation):
    context, page = phone
    base = live_server.url
    path = reverse("consultations:facilitate", args=[consultation.slug])
    log_in(page, base, path)
    context.set_offline(True)
    enter(page, "Our street floods every spring.")
    enter(page, "The bus stop has no ramp.")
    context.clear_cookies()  # the session expires while the venue has no connection
    context.set_offline(False)
    expect(page.locator("#facilitate-status")).to_contain_text("Sign in again")
    assert "Sign in again to send 2 entries" in page.locator("#facilitate-status").inner_text()
    assert page.locator("#sign-in-again a").is_visible()
    assert len(queue(page)) == 2 and not Testimony.objects.exists()

    # Signing in again and coming back to the page sends them.
    page.locator("#sign-in-again a").click()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("#facilitate-status")).to_have_text("Everything is sent.")
    assert Testimony.objects.count() == 2 and queue(page) == []


def test_without_javascript_the_form_still_works(live_server, browser, consultation):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        path = reverse("consultations:facilitate", args=[consultation.slug])
        log_in(page, live_server.url, path)
        page.locator("#id_text").fill("No heating in the shelter.")
        page.locator("main form button[type=submit]").click()
        code = page.locator("#receipt-code").inner_text().strip()
        assert crypto.is_receipt_code(code)
        assert services.find_by_receipt(consultation, code).text == "No heating in the shelter."
    finally:
        context.close()


def test_a_refused_entry_is_shown_and_can_be_removed(live_server, phone, consultation):
    context, page = phone
    path = reverse("consultations:facilitate", args=[consultation.slug])
    log_in(page, live_server.url, path)
    # Closed for weeks while the page stayed open: the server refuses the entry (400).
    consultation.closes_at = timezone.now() - datetime.timedelta(days=30)
    consultation.save()
    code = enter(page, "Our water is brown.")
    failed = page.locator("#failed-entries")
    expect(failed).to_contain_text("1 could not be sent:")
    expect(failed).to_contain_text(f"{code}: This consultation is not taking testimony now.")
    expect(page.locator("#facilitate-status")).to_have_text("1 could not be sent:")
    assert len(queue(page)) == 1 and not Testimony.objects.exists()
    failed.get_by_role("button", name=f"Remove from this device: {code}").click()
    expect(failed).to_be_hidden()
    expect(page.locator("#facilitate-status")).to_have_text("Everything is sent.")
    assert queue(page) == []
