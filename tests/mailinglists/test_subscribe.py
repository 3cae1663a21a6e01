"""Subscribing: double opt-in over real SMTP, expiry, single use, no enumeration, spam."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import make_user
from uprhub.mailinglists.models import Subscriber, Subscription, SubscriptionStatus

from .factories import active_subscription

pytestmark = pytest.mark.django_db


def subscribe(client, email: str, *lists, **extra):
    with_lists = [mailing_list.pk for mailing_list in lists]
    return client.post(
        reverse("mailinglists:index"), {"email": email, "lists": with_lists, **extra}
    )


def confirm_path(received) -> str:
    (link,) = [url for url in received.links() if "/lists/confirm/" in url]
    return link.removeprefix("http://testserver")


def status_of(email: str, mailing_list) -> str:
    return Subscription.objects.get(subscriber__email=email, mailing_list=mailing_list).status


def test_default_lists_exist():
    # Created by the data migration.
    assert set(
        Subscription._meta.get_field("mailing_list").related_model.objects.values_list(
            "slug", "name"
        )
    ) >= {("upr-updates", "UPR updates"), ("international-mechanisms", "International Mechanisms")}


def test_default_lists_migration_is_idempotent():
    from uprhub.mailinglists.defaults import ensure_default_lists
    from uprhub.mailinglists.models import MailingList

    MailingList.objects.filter(slug="upr-updates").update(name="Renamed by a coordinator")
    ensure_default_lists(MailingList)
    ensure_default_lists(MailingList)
    assert (
        MailingList.objects.filter(slug__in=["upr-updates", "international-mechanisms"]).count()
        == 2
    )
    assert MailingList.objects.get(slug="upr-updates").name == "Renamed by a coordinator"


def test_double_opt_in(client, smtp_server, public_list, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "Ada@Example.org", public_list)
    assert response.status_code == 302
    assert response["Location"] == reverse("mailinglists:subscribe_done")
    # Nothing is active before the link is followed.
    assert status_of("ada@example.org", public_list) == SubscriptionStatus.PENDING

    mail = smtp_server.only()
    assert mail.rcpt_tos == ["ada@example.org"]
    assert "Confirm your subscription" in mail.subject
    assert "Housing news" in mail.text and "Housing news" in mail.html
    path = confirm_path(mail)

    # GET shows a button and changes nothing (mail scanners prefetch links).
    page = client.get(path)
    assert page.status_code == 200
    assert b"Confirm my subscription" in page.content
    assert status_of("ada@example.org", public_list) == SubscriptionStatus.PENDING

    done = client.post(path)
    assert done.status_code == 200
    assert b"Subscription confirmed" in done.content
    assert status_of("ada@example.org", public_list) == SubscriptionStatus.ACTIVE
    assert Subscriber.objects.get(email="ada@example.org").confirmed_at is not None

    # Single use.
    assert client.post(path).status_code == 400
    assert client.get(path).status_code == 400


def test_confirmation_link_expires(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            subscribe(client, "late@example.org", public_list)
        path = confirm_path(smtp_server.only())
    with time_machine.travel(start + timedelta(days=3) - timedelta(seconds=5), tick=False):
        assert client.get(path).status_code == 200  # still valid just before three days
    with time_machine.travel(start + timedelta(days=3, seconds=1), tick=False):
        assert client.post(path).status_code == 400
        assert b"This link does not work" in client.get(path).content
    assert status_of("late@example.org", public_list) == SubscriptionStatus.PENDING


def test_only_the_latest_link_works(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "twice@example.org", public_list)
        subscribe(client, "twice@example.org", public_list)
    first, second = smtp_server.messages
    assert client.post(confirm_path(first)).status_code == 400
    assert status_of("twice@example.org", public_list) == SubscriptionStatus.PENDING
    assert client.post(confirm_path(second)).status_code == 200
    assert status_of("twice@example.org", public_list) == SubscriptionStatus.ACTIVE


def test_tampered_link_is_refused(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscribe(client, "t@example.org", public_list)
    path = confirm_path(smtp_server.only())
    tampered = re.sub(r"/confirm/(.)", lambda m: "/confirm/" + ("A" if m[1] != "A" else "B"), path)
    assert client.post(tampered).status_code == 400
    assert status_of("t@example.org", public_list) == SubscriptionStatus.PENDING


def test_no_enumeration(client, smtp_server, public_list, django_capture_on_commit_callbacks):
    active_subscription("known@example.org", public_list)
    with django_capture_on_commit_callbacks(execute=True):
        known = subscribe(client, "known@example.org", public_list)
        unknown = subscribe(client, "unknown@example.org", public_list)
    # The visitor sees the same thing; only the address's owner learns the difference.
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    (already,) = smtp_server.to("known@example.org")
    assert "already" in already.subject
    assert any("/lists/preferences/" in url for url in already.links())
    assert status_of("known@example.org", public_list) == SubscriptionStatus.ACTIVE


def test_honeypot(client, smtp_server, public_list, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "bot@example.org", public_list, contact_website="http://spam")
    assert response.status_code == 302
    assert response["Location"] == reverse("mailinglists:subscribe_done")
    assert not Subscriber.objects.filter(email="bot@example.org").exists()
    assert smtp_server.messages == []


def test_rate_limit_per_client(client, settings, public_list):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "list_subscribe": "2/h"}
    statuses = [subscribe(client, f"p{i}@example.org", public_list).status_code for i in range(3)]
    assert statuses == [302, 302, 429]


def test_one_address_gets_few_confirmation_mails(
    client, smtp_server, public_list, settings, django_capture_on_commit_callbacks
):
    # Many clients (a botnet) cannot mail-bomb one victim: the address is throttled too.
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "list_address": "2/h"}
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(4):
            response = subscribe(
                client, "victim@example.org", public_list, REMOTE_ADDR=f"10.0.0.{i}"
            )
            assert response.status_code == 302
    assert len(smtp_server.to("victim@example.org")) == 2


def test_header_injection_in_address_is_refused(client, smtp_server, public_list):
    response = subscribe(client, "a@example.org\r\nBcc: victim@example.org", public_list)
    assert response.status_code == 200  # form error
    assert smtp_server.messages == []
    assert not Subscriber.objects.exists()


def test_logged_in_owner_is_subscribed_at_once(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    user = make_user("registered", email="owner@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "owner@example.org", public_list)
    assert response.status_code == 302
    assert response["Location"] == reverse("mailinglists:preferences")
    assert status_of("owner@example.org", public_list) == SubscriptionStatus.ACTIVE
    assert Subscriber.objects.get(email="owner@example.org").user == user
    assert smtp_server.messages == []


def test_members_only_list_needs_a_member(
    client, smtp_server, members_list, public_list, django_capture_on_commit_callbacks
):
    # Not offered to anonymous visitors: the choice is invalid.
    response = subscribe(client, "someone@example.org", members_list)
    assert response.status_code == 200
    assert not Subscription.objects.filter(mailing_list=members_list).exists()

    member = make_user("member", email="member@example.org")
    client.force_login(member)
    refused = subscribe(client, "other-address@example.org", members_list)
    assert refused.status_code == 200
    assert b"own account" in refused.content
    with django_capture_on_commit_callbacks(execute=True):
        accepted = subscribe(client, "member@example.org", members_list)
    assert accepted.status_code == 302
    assert status_of("member@example.org", members_list) == SubscriptionStatus.ACTIVE


def test_index_lists_and_form(client, public_list, members_list):
    content = client.get(reverse("mailinglists:index")).content.decode()
    assert "Housing news" in content and "Taskforce only" in content
    assert "Members only" in content
    assert 'name="contact_website"' in content  # honeypot
    # The members-only list is shown but not offered to anonymous visitors.
    assert f'value="{public_list.pk}"' in content
    assert f'value="{members_list.pk}"' not in content


def test_logged_in_owner_already_subscribed_goes_to_preferences(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    user = make_user("registered", email="again@example.org")
    active_subscription("again@example.org", public_list)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(client, "again@example.org", public_list)
    assert response["Location"] == reverse("mailinglists:preferences")
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_default_lists_are_made_again_after_a_flush():
    # A flush (as between transactional tests, or `manage flush`) empties the tables and
    # re-sends post_migrate: the default lists come back, as the data migration made them.
    from django.core.management import call_command

    from uprhub.mailinglists.models import MailingList

    call_command("flush", interactive=False, verbosity=0)
    assert set(MailingList.objects.values_list("slug", flat=True)) >= {
        "upr-updates",
        "international-mechanisms",
    }
