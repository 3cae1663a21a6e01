"""Honeypot and rate limits on the public forms (sign-up, log-in, password reset)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from uprhub.core.antispam import parse_rate

from .factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Bot Bot",
    "email": "bot@example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.mark.parametrize(
    ("rate", "parsed"), [("5/h", (5, 3600)), ("10/5m", (10, 300)), (" 3 / 2d ", (3, 172800))]
)
def test_parse_rate(rate, parsed):
    assert parse_rate(rate) == parsed


def test_parse_rate_refuses_nonsense():
    with pytest.raises(ValueError):
        parse_rate("many/soon")


def test_signup_honeypot(client, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:signup"), {**SIGNUP, "contact_website": "http://spam.example"}
        )
    # Looks like success to the bot, but nothing happened.
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert not get_user_model().objects.filter(email="bot@example.org").exists()
    assert smtp_server.messages == []


def test_honeypot_is_labelled_and_out_of_sight(client):
    content = client.get(reverse("accounts:signup")).content.decode()
    assert "Leave this empty" in content
    assert 'name="contact_website"' in content
    # Off-screen by the site's stylesheet (the CSP allows no inline style).
    assert '<div class="honeypot">' in content
    from django.contrib.staticfiles import finders

    css = Path(finders.find("uprhub/css/site.css")).read_text()
    assert re.search(r"\.honeypot \{[^}]*left: -10000px;", css)


def test_signup_rate_limit(client, settings):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "signup": "2/h"}
    url = reverse("accounts:signup")
    statuses = [
        client.post(url, {**SIGNUP, "email": f"p{i}@example.org"}).status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert get_user_model().objects.filter(email__startswith="p").count() == 2
    # Reading the form is not limited.
    assert client.get(url).status_code == 200


def test_login_rate_limit(client, settings):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "login": "3/5m"}
    make_user(email="target@example.org", password=PASSWORD)
    url = reverse("accounts:login")
    for _ in range(3):
        client.post(url, {"username": "target@example.org", "password": "guess-guess-1"})
    # Even the right password is refused once the limit is reached.
    response = client.post(url, {"username": "target@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_rate_limit_is_per_client_address(client, settings):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "password_reset": "1/h"}
    url = reverse("accounts:password_reset")
    assert client.post(url, {"email": "a@example.org"}, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(url, {"email": "a@example.org"}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(url, {"email": "a@example.org"}, REMOTE_ADDR="10.0.0.2").status_code == 302
