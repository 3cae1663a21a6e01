"""Password reset by e-mail over real SMTP, without revealing which addresses have accounts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from uprhub.accounts import tokens

from .factories import PASSWORD, make_user
from .grid import without_csrf

# The mail is queued in the outbox and sent once the request's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "another-long-passphrase-77"


def test_reset_by_email_then_login(client, smtp_server, site_url):
    user = make_user(email="ella@example.org", password=PASSWORD)
    response = client.post(reverse("accounts:password_reset"), {"email": "Ella@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")

    mail = smtp_server.only()
    assert mail.rcpt_tos == ["ella@example.org"]
    assert mail.subject == "Choose a new UPR Hub password"
    (link,) = [url for url in mail.links() if "/accounts/password/reset/" in url]
    assert link.startswith("http://testserver/")

    response = client.get(urlsplit(link).path)
    assert response.status_code == 302  # to the same URL without the token (no Referer leak)
    form_url = response["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link is single-use.
    assert b"This link does not work" in client.get(urlsplit(link).path, follow=True).content

    response = client.post(
        reverse("accounts:login"), {"username": "ella@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_reset_is_the_same_for_unknown_addresses(client, smtp_server):
    make_user(email="known@example.org", password=PASSWORD)
    known = client.post(reverse("accounts:password_reset"), {"email": "known@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf(client.get(known["Location"]).content) == without_csrf(
        client.get(unknown["Location"]).content
    )
    assert [m.rcpt_tos for m in smtp_server.messages] == [["known@example.org"]]


def test_reset_links_use_the_configured_site_not_the_host_header(client, smtp_server, settings):
    settings.UPRHUB_SITE_URL = "https://upr.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    make_user(email="known@example.org", password=PASSWORD)
    client.post(
        reverse("accounts:password_reset"),
        {"email": "known@example.org"},
        headers={"host": "evil.example.com"},
    )
    links = smtp_server.only().links()
    assert links and all(link.startswith("https://upr.example.org/") for link in links)


def test_set_password_token_is_not_a_reset_token(client):
    """Tokens are single-purpose: an invitation token fails on the reset URL and vice versa."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = make_user(password=PASSWORD)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    invitation = tokens.set_password_token_generator.make_token(user)
    reset = default_token_generator.make_token(user)

    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, invitation]))
    assert response.status_code == 200 and b"This link does not work" in response.content
    response = client.get(reverse("accounts:set_password", args=[uid, reset]))
    assert response.status_code == 200 and b"This link does not work" in response.content
    assert client.get(reverse("accounts:set_password", args=[uid, invitation])).status_code == 302
