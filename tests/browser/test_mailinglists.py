"""Mailing lists in a real browser: subscribe → confirm from the e-mail → receive a post →
unsubscribe in one click. axe-core checks the subscribe, confirm, preferences, archive and
unsubscribe pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.mailinglists.factories import coordinator
from tests.smtp import smtp_controller, smtp_server  # noqa: F401 (fixtures)
from uprhub.mailinglists import delivery, services
from uprhub.mailinglists.defaults import ensure_default_lists
from uprhub.mailinglists.models import MailingList, Post, Subscription, SubscriptionStatus

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lists(transactional_db, settings, live_server, smtp_server):  # noqa: F811
    settings.UPRHUB_SITE_URL = live_server.url
    # Transactional tests empty the tables between tests: put the default lists back.
    ensure_default_lists(MailingList)
    return MailingList.objects.get(slug="upr-updates")


def test_subscribe_confirm_unsubscribe(live_server, browser, page, lists, smtp_server):  # noqa: F811
    base = live_server.url

    # 1. Subscribe to "UPR updates".
    page.goto(base + reverse("mailinglists:index"))
    assert_accessible(page, "subscribe page")
    page.get_by_label("Your e-mail address").fill("ella@example.org")
    page.get_by_role("checkbox", name="UPR updates").check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(re.compile(r"/lists/subscribe/sent/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Check your inbox"

    # 2. Open the link from the confirmation e-mail and confirm.
    (confirmation,) = smtp_server.to("ella@example.org")
    (link,) = [url for url in confirmation.links() if "/lists/confirm/" in url]
    assert link.startswith(base)
    page.goto(link)
    assert_accessible(page, "confirm page")
    page.get_by_role("button", name="Confirm my subscription").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Subscription confirmed"
    subscription = Subscription.objects.get(subscriber__email="ella@example.org")
    assert subscription.status == SubscriptionStatus.ACTIVE

    page.get_by_role("link", name="Choose your lists and deadline reminders").click()
    page.wait_for_url(re.compile(r"/lists/preferences/"))
    assert page.get_by_role("checkbox", name="UPR updates").is_checked()
    assert_accessible(page, "preferences page")

    # 3. A coordinator's post reaches her, and shows in the archive.
    post = Post.objects.create(
        mailing_list=lists, subject="Session 54 is coming", body="Read **this** first."
    )
    post = services.save_draft(
        actor=coordinator(), mailing_list=lists, subject=post.subject, body=post.body, post=post
    )
    services.start_sending(post, actor=coordinator())
    delivery.deliver_post(post.pk)
    (message,) = [m for m in smtp_server.to("ella@example.org") if m.subject == post.subject]
    page.goto(base + reverse("mailinglists:archive", args=[lists.slug]))
    assert_accessible(page, "archive page")
    page.get_by_role("link", name="Session 54 is coming").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Session 54 is coming"
    assert_accessible(page, "archive post page")

    # 4. One click on the unsubscribe link of the message (the form posts without CSRF).
    unsubscribe = re.search(r"<([^>]+)>", message.message["List-Unsubscribe"])[1]
    assert unsubscribe.startswith(base + "/lists/u/")
    reader = browser.new_context(locale="en-GB")  # no session: as if from the mail client
    try:
        tab = reader.new_page()
        tab.goto(unsubscribe)
        assert_accessible(tab, "unsubscribe page")
        tab.get_by_role("button", name="Unsubscribe").click()
        assert tab.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    finally:
        reader.close()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED


def test_rfc8058_one_click_post_from_a_mail_provider(live_server, page, lists, smtp_server):  # noqa: F811
    services.request_subscription(email="bob@example.org", lists=[lists])
    (confirmation,) = smtp_server.to("bob@example.org")
    (link,) = [url for url in confirmation.links() if "/lists/confirm/" in url]
    page.goto(link)
    page.get_by_role("button", name="Confirm my subscription").click()
    post = services.save_draft(actor=coordinator(), mailing_list=lists, subject="Hello", body="Hi.")
    services.start_sending(post, actor=coordinator())
    delivery.deliver_post(post.pk)
    (message,) = [m for m in smtp_server.to("bob@example.org") if m.subject == "Hello"]
    unsubscribe = re.search(r"<([^>]+)>", message.message["List-Unsubscribe"])[1]

    # What Gmail and others do: POST "List-Unsubscribe=One-Click", no cookies.
    response = page.request.post(unsubscribe, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    assert Subscription.objects.get(subscriber__email="bob@example.org").status == (
        SubscriptionStatus.UNSUBSCRIBED
    )
