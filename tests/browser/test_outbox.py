"""With no mail server, in a real browser: the applicant is told the confirmation is being
sent (not that it was), and the administrator reads it on the Outbox page. axe checks both."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, make_user
from tests.browser.test_taskforce import assert_accessible, log_in
from tests.factories import ThemeFactory, VocabularyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_without_a_mail_server_and_read_the_mail_in_the_outbox(live_server, page, settings):
    settings.UPRHUB_SITE_URL = live_server.url
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ThemeFactory(vocabulary=VocabularyFactory(slug="uprinfo-issues"), name="Right to housing")
    make_user("admin", email="admin@example.org", password=PASSWORD, name="Ada Admin")
    base = live_server.url

    page.goto(base + reverse("coalition:apply"))
    page.get_by_label("Your name").fill("Ana Souza")
    page.get_by_label("Your e-mail address").fill("ana@example.org")
    page.get_by_label("Your organisation").fill("Tenants United")
    page.get_by_label("Your role in the organisation").fill("Organiser")
    page.get_by_role("radio", name="Some", exact=True).check()
    page.get_by_label("City").fill("Detroit")
    page.get_by_label("Languages").fill("English")
    page.get_by_label("Why do you want to join the UPR Taskforce?").fill("Housing rights.")
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(re.compile(r"/taskforce/apply/thanks/$"))
    text = page.locator("main").inner_text()
    assert "We are sending a confirmation to the address you gave" in text
    assert "have sent" not in text
    assert_accessible(page, "application sent")

    log_in(page, base, "admin@example.org", PASSWORD)
    page.get_by_role("link", name="Outbox").click()
    page.wait_for_url(re.compile(r"/outbox/$"))
    main = page.locator("main")
    assert "No mail server is configured" in main.inner_text()
    message = main.locator("article", has_text="ana@example.org")
    assert "We received your application to the UPR Taskforce" in message.inner_text()
    assert "Not sent (no mail server)" in message.inner_text()
    message.get_by_text("Text of the message").click()
    assert "Thank you for applying to join the UPR Taskforce" in message.inner_text()
    # The coordinators' notice went to the admin, greeted by name.
    notice = main.locator("article", has_text="New UPR Taskforce application: Ana Souza")
    notice.get_by_text("Text of the message").click()
    assert "Dear Ada Admin," in notice.inner_text()
    assert_accessible(page, "outbox")
