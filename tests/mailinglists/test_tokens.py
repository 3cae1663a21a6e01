"""Tokens are signed and single-purpose; the RFC 8058 one-click endpoints."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from uprhub.mailinglists import services, tokens
from uprhub.mailinglists.models import ReminderPreference, Subscriber, SubscriptionStatus

from .factories import active_subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(public_list):
    subscription = active_subscription("reader@example.org", public_list)
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(confirm_nonce="n0nce")
    subscription.subscriber.refresh_from_db()
    return subscription


@pytest.fixture
def csrf_client() -> Client:
    # What a mail provider's one-click POST looks like: no session, no CSRF cookie.
    return Client(enforce_csrf_checks=True)


def one_click(client: Client, url: str):
    return client.post(
        url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )


def test_each_token_works_only_for_its_purpose(subscription):
    subscriber = subscription.subscriber
    preference = ReminderPreference.objects.create(subscriber=subscriber, opted_in=True)
    made = {
        "confirm": tokens.make_confirm_token(subscriber),
        "unsubscribe": tokens.make_unsubscribe_token(subscription, subscriber.email),
        "reminders_off": tokens.make_reminders_off_token(preference, subscriber.email),
        "preferences": tokens.make_preferences_token(subscriber),
    }
    readers = {
        "confirm": tokens.read_confirm_token,
        "unsubscribe": tokens.read_unsubscribe_token,
        "reminders_off": tokens.read_reminders_off_token,
        "preferences": tokens.read_preferences_token,
    }
    for purpose, token in made.items():
        readers[purpose](token)  # valid for its own purpose
        for other, read in readers.items():
            if other != purpose:
                with pytest.raises(tokens.InvalidToken):
                    read(token)


def test_confirm_token_cannot_unsubscribe_and_vice_versa(client, subscription, csrf_client):
    confirm_token = tokens.make_confirm_token(subscription.subscriber)
    unsubscribe_token = tokens.make_unsubscribe_token(subscription, "reader@example.org")
    assert (
        one_click(
            csrf_client, reverse("mailinglists:unsubscribe", args=[confirm_token])
        ).status_code
        == 400
    )
    assert client.post(reverse("mailinglists:confirm", args=[unsubscribe_token])).status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_token_dies_when_the_row_changes_address(subscription):
    token = tokens.make_unsubscribe_token(subscription, "reader@example.org")
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(email="new@example.org")
    with pytest.raises(tokens.InvalidToken):
        tokens.read_unsubscribe_token(token)


def test_one_click_post_without_csrf_unsubscribes(subscription, csrf_client):
    url = reverse(
        "mailinglists:unsubscribe",
        args=[tokens.make_unsubscribe_token(subscription, "reader@example.org")],
    )
    response = one_click(csrf_client, url)
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.UNSUBSCRIBED
    assert subscription.unsubscribed_at is not None
    # Repeating is harmless (mail providers may retry).
    assert one_click(csrf_client, url).status_code == 200


def test_get_shows_a_confirmation_page_and_changes_nothing(client, subscription):
    url = reverse(
        "mailinglists:unsubscribe",
        args=[tokens.make_unsubscribe_token(subscription, "reader@example.org")],
    )
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Stop receiving" in content and 'method="post"' in content
    assert 'name="List-Unsubscribe" value="One-Click"' in content
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE


def test_bad_unsubscribe_tokens(client, csrf_client):
    for token in ("nonsense", "a:b:c", "eyJzIjoxfQ:bad"):
        url = reverse("mailinglists:unsubscribe", args=[token])
        assert client.get(url).status_code == 400
        assert one_click(csrf_client, url).status_code == 400


def test_other_endpoints_keep_csrf(subscription, csrf_client):
    confirm_url = reverse(
        "mailinglists:confirm", args=[tokens.make_confirm_token(subscription.subscriber)]
    )
    assert csrf_client.post(confirm_url).status_code == 403
    prefs_url = reverse(
        "mailinglists:preferences_token",
        args=[tokens.make_preferences_token(subscription.subscriber)],
    )
    assert csrf_client.post(prefs_url, {"lists": []}).status_code == 403


def test_reminders_off_one_click(subscription, csrf_client, client):
    preference = ReminderPreference.objects.create(
        subscriber=subscription.subscriber, opted_in=True
    )
    url = reverse(
        "mailinglists:reminders_off",
        args=[tokens.make_reminders_off_token(preference, "reader@example.org")],
    )
    assert b"Stop receiving deadline reminders" in client.get(url).content
    preference.refresh_from_db()
    assert preference.opted_in
    assert one_click(csrf_client, url).status_code == 200
    preference.refresh_from_db()
    assert not preference.opted_in
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE  # lists untouched


def test_unsubscribe_service_is_idempotent(subscription):
    services.unsubscribe(subscription)
    first = type(subscription).objects.get(pk=subscription.pk).unsubscribed_at
    services.unsubscribe(subscription)
    assert type(subscription).objects.get(pk=subscription.pk).unsubscribed_at == first
