"""Issue 12, point 3: e-mail verification completes on a POST, tokens carry no readable
address, and no token reaches the logs."""

from __future__ import annotations

import base64
import logging
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.factories import PASSWORD, make_user
from uprhub.accounts import tokens

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Fannie Lou Hamer",
    "email": "fannie@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def emailed_link(client, smtp_server, capture) -> str:
    with capture(execute=True):
        client.post(reverse("accounts:signup"), SIGNUP)
    (link,) = [url for url in smtp_server.only().links() if "/accounts/verify/" in url]
    return urlsplit(link).path


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def test_opening_the_link_changes_nothing_the_button_verifies(
    client, smtp_server, site_url, django_capture_on_commit_callbacks
):
    path = emailed_link(client, smtp_server, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(email="fannie@example.org")

    page = client.get(path)
    assert page.status_code == 200
    user.refresh_from_db()
    assert not user.is_active  # a mail scanner opening the link verifies nothing
    content = page.content.decode()
    # The button POSTs the token in the body to an address without it.
    action = re.search(r'<form method="post" action="([^"]+)"', content).group(1)
    assert action == reverse("accounts:verify_email_submit")
    assert token_of(path) not in action and "Confirm my address" in content

    response = client.post(action, {"token": token_of(path)})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active and user.profile.email_verified_at is not None
    # Used once, the link is dead (the token is bound to the verification state).
    assert client.get(path).status_code == 400


def test_get_of_the_submit_address_is_refused(client):
    assert client.get(reverse("accounts:verify_email_submit")).status_code == 405


def test_token_carries_no_readable_address():
    user = make_user(email="Someone.Private@Example.org", verified=False)
    token = tokens.make_email_verification_token(user)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode(
        "utf-8", "replace"
    )
    for text in (token, decoded):
        assert "someone.private" not in text.lower()
        assert "example.org" not in text.lower()
    assert "@" not in decoded


def test_no_token_in_the_logs(
    client, smtp_server, site_url, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    path = emailed_link(client, smtp_server, django_capture_on_commit_callbacks)
    token = token_of(path)
    client.get(path)
    client.post(reverse("accounts:verify_email_submit"), {"token": token})
    # Failures are logged by Django ("Bad Request: <path>"): an old link and a tampered one.
    assert client.get(path).status_code == 400
    assert client.get(path[:-3] + "xx/").status_code == 400
    assert client.post(reverse("accounts:verify_email_submit"), {"token": token}).status_code == 400

    assert "Bad Request" in caplog.text  # the failures were logged…
    assert token not in caplog.text  # …without the token
    assert token[:-3] not in caplog.text
    for record in caplog.records:
        assert token[:16] not in record.getMessage()
