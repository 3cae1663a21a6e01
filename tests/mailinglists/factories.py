"""Lists, subscribers and posts for the mailing-list tests."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from uprhub.mailinglists.models import (
    MailingList,
    Post,
    Subscriber,
    Subscription,
    SubscriptionStatus,
    Visibility,
)
from uprhub.mailinglists.rendering import markdown_to_html


class MailingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailingList
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"list-{n}")
    name = factory.Sequence(lambda n: f"Test list {n}")
    description = "A list for the tests."
    visibility = Visibility.PUBLIC


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    confirmed_at = factory.LazyFunction(timezone.now)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    mailing_list = factory.SubFactory(MailingListFactory)
    status = SubscriptionStatus.ACTIVE
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    mailing_list = factory.SubFactory(MailingListFactory)
    subject = factory.Sequence(lambda n: f"Update number {n}")
    body = "Hello **everyone**.\n\n- first point\n- [the calendar](https://example.org/calendar)\n"
    body_html = factory.LazyAttribute(lambda o: markdown_to_html(o.body))


def subscribe_many(mailing_list: MailingList, count: int, *, prefix: str = "reader") -> list[str]:
    """`count` confirmed, active subscribers of the list; returns their addresses."""
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{prefix}{i:05d}@example.org", confirmed_at=now) for i in range(count)]
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=s,
                mailing_list=mailing_list,
                status=SubscriptionStatus.ACTIVE,
                requested_at=now,
                confirmed_at=now,
            )
            for s in subscribers
        ]
    )
    return [s.email for s in subscribers]


def active_subscription(email: str, mailing_list: MailingList, **kwargs: Any) -> Subscription:
    return SubscriptionFactory(
        subscriber=SubscriberFactory(email=email), mailing_list=mailing_list, **kwargs
    )


def coordinator() -> Any:
    """The coordinator who writes and sends posts in these tests (one per test database).

    The post services check their permission themselves, so tests act as a real coordinator
    rather than as "nobody"."""
    from django.contrib.auth import get_user_model

    from tests.accounts.factories import make_user

    users = get_user_model().objects.select_related("profile")
    existing = users.filter(email="sender@example.org").first()
    if existing is None:
        # Re-read: make_user sets the role after creating the account (stale cached profile).
        existing = users.get(pk=make_user("coordinator", email="sender@example.org").pk)
    return existing
