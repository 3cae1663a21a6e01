"""Pages that list things run a fixed number of queries, however long the lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, StateFactory
from uprhub.mailinglists import services, tokens
from uprhub.mailinglists.models import Subscriber

from .factories import MailingListFactory, PostFactory, coordinator, subscribe_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(public_list):
    addresses = subscribe_many(public_list, 120)
    for i in range(25):
        PostFactory(mailing_list=public_list, subject=f"Draft {i}")
    sent = PostFactory(mailing_list=public_list)
    services.start_sending(sent, actor=coordinator())
    for i in range(8):
        MailingListFactory(slug=f"more-{i}")
    return sent, addresses


def test_coordinator_pages(client, busy, django_assert_max_num_queries):
    sent, _ = busy
    client.force_login(make_user("coordinator"))
    for name, args in (("posts", []), ("deliveries", [sent.pk]), ("preview", [sent.pk])):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(f"mailinglists:{name}", args=args)).status_code == 200


def test_public_pages(client, busy, django_assert_max_num_queries):
    _, addresses = busy
    for i in range(60):
        ReviewFactory(state=StateFactory(code=f"Z{i:02d}"))
    subscriber = Subscriber.objects.get(email=addresses[0])
    with django_assert_max_num_queries(6):
        assert client.get(reverse("mailinglists:index")).status_code == 200
    url = reverse(
        "mailinglists:preferences_token", args=[tokens.make_preferences_token(subscriber)]
    )
    # 10 for the page, plus the rate-limit counter now kept in the database cache
    # (one read of the window's slots, one INSERT with its cull check and savepoint).
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
