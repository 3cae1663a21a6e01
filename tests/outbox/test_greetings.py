"""Mail greets people by a name known to be theirs, never by an address, never by a name
just typed into a public form for an unconfirmed address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import ApplicationFactory, make_user
from uprhub.coalition import notifications
from uprhub.core.mail import greeting_name, render_mail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ana", "Ana"),
        ("  Ana   Souza ", "Ana Souza"),
        ("", ""),
        (None, ""),
        ("ana@example.org", ""),
    ],
)
def test_greeting_name(name, expected):
    assert greeting_name(name) == expected


def test_templates_greet_by_name_or_neutrally(site_url):
    _subject, text, html = render_mail(
        "verify_email", {"verify_url": "x", "recipient_name": "Ana <b>"}
    )
    assert text.startswith("Dear Ana <b>,")
    assert "<p>Dear Ana &lt;b&gt;,</p>" in html
    _subject, text, _html = render_mail("verify_email", {"verify_url": "x"})
    assert text.startswith("Hello,")


def test_password_reset_greets_by_the_account_name(
    client, smtp_server, site_url, django_capture_on_commit_callbacks
):
    make_user("member", email="ana@example.org", name="Ana Souza")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "ana@example.org"})
    assert smtp_server.only().text.startswith("Dear Ana Souza,")


def test_an_address_as_name_greets_neutrally(
    client, smtp_server, site_url, django_capture_on_commit_callbacks
):
    make_user("member", email="ana@example.org", name="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "ana@example.org"})
    text = smtp_server.only().text
    assert text.startswith("Hello,") and "Dear" not in text


def test_coordinators_are_greeted_by_their_own_name(
    smtp_server, site_url, django_capture_on_commit_callbacks
):
    make_user("coordinator", email="cora@example.org", name="Cora Coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_reviewers(ApplicationFactory(name="Rosa Parks"))
    assert smtp_server.only().text.startswith("Dear Cora Coordinator,")


def test_a_typed_name_is_not_echoed_to_an_unconfirmed_address(
    client, form_data, smtp_server, site_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coalition:apply"), form_data)
        client.post(
            reverse("accounts:signup"),
            {
                "email": "new@example.org",
                "full_name": "Buy cheap pills",
                "password1": "a long pass phrase 42",
                "password2": "a long pass phrase 42",
            },
        )
    texts = [m.text for m in smtp_server.messages]
    assert len(texts) == 2
    assert all(t.startswith("Hello,") for t in texts)
    assert not any("Rosa" in t or "pills" in t for t in texts)
