"""Rate limits behind a reverse proxy count each client, not the proxy (UPRHUB_TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def reset(client, forwarded_for: str) -> int:
    return client.post(
        reverse("accounts:password_reset"),
        {"email": "a@example.org"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    ).status_code


@pytest.fixture
def one_per_hour(settings):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "password_reset": "1/h"}


def test_two_clients_behind_one_proxy_are_limited_separately(client, settings, one_per_hour):
    settings.UPRHUB_TRUSTED_PROXIES = 1
    assert reset(client, "203.0.113.5") == 302
    assert reset(client, "203.0.113.6") == 302  # another visitor, same proxy
    assert reset(client, "203.0.113.5") == 429
    # Forging an earlier entry does not help: the proxy appended the real address.
    assert reset(client, "198.51.100.99, 203.0.113.5") == 429


def test_the_header_is_ignored_without_trusted_proxies(client, settings, one_per_hour):
    settings.UPRHUB_TRUSTED_PROXIES = 0
    assert reset(client, "203.0.113.5") == 302
    # Everyone comes from the proxy's address, so a new header value is no way round the limit.
    assert reset(client, "203.0.113.6") == 429


def test_the_public_application_form_uses_the_same_address(client, settings, themes):
    settings.UPRHUB_TRUSTED_PROXIES = 1
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "apply": "1/h"}
    url = reverse("coalition:apply")

    def post(forwarded_for: str) -> int:
        return client.post(
            url, {"name": ""}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert post("203.0.113.5") == 200  # counted (the form is invalid, so it is shown again)
    assert post("203.0.113.6") == 200
    assert post("203.0.113.5") == 429


def test_mailing_list_forms_use_the_same_address(client, settings):
    settings.UPRHUB_TRUSTED_PROXIES = 1
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "list_token": "1/h"}
    url = reverse("mailinglists:confirm", args=["bad-token"])

    def get(forwarded_for: str) -> int:
        return client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert get("203.0.113.5") != 429
    assert get("203.0.113.6") != 429
    assert get("203.0.113.5") == 429
