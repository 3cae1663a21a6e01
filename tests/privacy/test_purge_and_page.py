"""`uprhub purge` and the public privacy page."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.mailinglists.factories import MailingListFactory, PostFactory, SubscriberFactory
from uprhub.mailinglists.models import (
    Delivery,
    DeliveryStatus,
    ReminderLog,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)

pytestmark = pytest.mark.django_db


def purge() -> dict[str, int]:
    out = io.StringIO()
    call_command("purge", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_purge_deletes_what_outlived_its_retention(settings):
    now = timezone.now()
    news = MailingListFactory(slug="news")

    def subscription(email: str, status: str, requested_days_ago: int, confirmed: bool) -> None:
        subscriber = SubscriberFactory(email=email, confirmed_at=now if confirmed else None)
        Subscriber.objects.filter(pk=subscriber.pk).update(
            created_at=now - timedelta(days=requested_days_ago)
        )
        Subscription.objects.create(
            subscriber=subscriber,
            mailing_list=news,
            status=status,
            requested_at=now - timedelta(days=requested_days_ago),
        )

    subscription("stale@example.org", SubscriptionStatus.PENDING, 8, confirmed=False)
    subscription("fresh@example.org", SubscriptionStatus.PENDING, 2, confirmed=False)
    subscription("reader@example.org", SubscriptionStatus.ACTIVE, 400, confirmed=True)

    expired = SessionStore()
    expired.set_expiry(-10)
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=now - timedelta(days=1))
    valid = SessionStore()
    valid.create()

    old_post = PostFactory(mailing_list=news, status="sent")
    old_post.finished_at = now - timedelta(days=181)
    old_post.save()
    recent_post = PostFactory(mailing_list=news, status="sent")
    recent_post.finished_at = now - timedelta(days=10)
    recent_post.save()
    for post in (old_post, recent_post):
        Delivery.objects.create(post=post, email="reader@example.org", status=DeliveryStatus.SENT)
    old_reminder = ReminderLog.objects.create(
        email="reader@example.org",
        key="USA-50-submission-30",
        state_code="USA",
        due=now - timedelta(days=150),
        status=DeliveryStatus.SENT,
    )
    ReminderLog.objects.filter(pk=old_reminder.pk).update(created_at=now - timedelta(days=200))
    ReminderLog.objects.create(
        email="reader@example.org",
        key="USA-51-submission-30",
        state_code="USA",
        due=now + timedelta(days=30),
        status=DeliveryStatus.SENT,
    )

    assert purge() == {
        "unconfirmed_subscriptions": 1,
        "addresses": 1,
        "sessions": 1,
        "deliveries": 1,
        "reminder_logs": 1,
        "unconfirmed_answers": 0,
        "outbox_messages": 0,
        "consultation_address_hashes": 0,
        "consultation_receipt_mails": 0,
        "consultation_identities": 0,
        "consultation_originals": 0,
    }
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "fresh@example.org",
        "reader@example.org",
    }
    assert list(Session.objects.values_list("pk", flat=True)) == [valid.session_key]
    assert list(Delivery.objects.values_list("post_id", flat=True)) == [recent_post.pk]
    assert list(ReminderLog.objects.values_list("key", flat=True)) == ["USA-51-submission-30"]
    assert purge() == dict.fromkeys(
        [
            "unconfirmed_subscriptions",
            "addresses",
            "sessions",
            "deliveries",
            "reminder_logs",
            "unconfirmed_answers",
            "outbox_messages",
            "consultation_address_hashes",
            "consultation_receipt_mails",
            "consultation_identities",
            "consultation_originals",
        ],
        0,
    )

    settings.UPRHUB_RETENTION_UNCONFIRMED_DAYS = 1  # the settings decide
    assert purge()["unconfirmed_subscriptions"] == 1


def test_privacy_page_states_the_configured_periods(client, settings):
    settings.UPRHUB_RETENTION_UNCONFIRMED_DAYS = 3
    settings.UPRHUB_RETENTION_DELIVERY_LOG_DAYS = 90
    page = client.get(reverse("core:privacy"))
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "is deleted after 3 days" in text
    assert "is kept for 90 days after sending" in text
    assert "the session expires after 14 days" in text


@pytest.mark.parametrize(
    "name", ["core:home", "accounts:signup", "coalition:apply", "mailinglists:index"]
)
def test_privacy_page_is_linked_from_the_footer_and_the_forms(client, name):
    MailingListFactory(slug="news")  # the subscribe form shows only when a list exists
    html = client.get(reverse(name)).content.decode()
    assert html.count(f'href="{reverse("core:privacy")}"') >= (1 if name == "core:home" else 2)


def test_purge_deletes_unconfirmed_taskforce_answers_once_their_link_expired(settings):
    from tests.accounts.factories import ApplicationFactory
    from uprhub.coalition.models import ApplicationRevision

    settings.UPRHUB_EMAIL_VERIFICATION_MAX_AGE = 3 * 86400
    application = ApplicationFactory()
    now = timezone.now()
    old = ApplicationRevision.objects.create(
        application=application, answers={"motivation": "typed by someone"}, token_hash="a" * 64
    )
    ApplicationRevision.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=4))
    fresh = ApplicationRevision.objects.create(
        application=application, answers={"motivation": "still valid"}, token_hash="b" * 64
    )

    assert purge()["unconfirmed_answers"] == 1
    assert list(ApplicationRevision.objects.values_list("pk", flat=True)) == [fresh.pk]
