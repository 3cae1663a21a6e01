"""The preferences page: by e-mailed link or logged in; lists and reminder settings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.mailinglists import tokens
from uprhub.mailinglists.models import (
    ReminderPreference,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)

from .factories import MailingListFactory, active_subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def states(db):
    from datetime import date

    from tests.calendar.factories import review, session

    s53 = session(53, date(2026, 11, 2), date(2026, 11, 13))
    return {
        code: review(code, s53, name=name).state
        for code, name in (("USA", "United States"), ("HTI", "Haiti"))
    }


def test_link_page_changes_lists_and_reminders(client, public_list, states):
    other = MailingListFactory(slug="other", name="Other list")
    subscription = active_subscription("reader@example.org", public_list)
    url = reverse(
        "mailinglists:preferences_token",
        args=[tokens.make_preferences_token(subscription.subscriber)],
    )

    page = client.get(url).content.decode()
    assert "reader@example.org" in page
    assert f'value="{public_list.pk}"' in page and "checked" in page
    assert "United States" in page

    response = client.post(
        url,
        {"lists": [other.pk], "reminders": "on", "states": [states["USA"].pk], "days": ["30", "7"]},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert (
        Subscription.objects.get(mailing_list=public_list).status == SubscriptionStatus.UNSUBSCRIBED
    )
    assert Subscription.objects.get(mailing_list=other).status == SubscriptionStatus.ACTIVE
    preference = ReminderPreference.objects.get(subscriber=subscription.subscriber)
    assert preference.opted_in and preference.days == [30, 7]
    assert list(preference.states.values_list("code", flat=True)) == ["USA"]
    assert "Your preferences are saved." in client.get(url).content.decode()


def test_reminders_need_states_and_days(client, public_list, states):
    subscription = active_subscription("reader@example.org", public_list)
    url = reverse(
        "mailinglists:preferences_token",
        args=[tokens.make_preferences_token(subscription.subscriber)],
    )
    response = client.post(url, {"lists": [public_list.pk], "reminders": "on"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose at least one State" in content and "Choose when to be reminded" in content
    assert not ReminderPreference.objects.exists()


def test_logged_in_member_sets_reminders_without_a_list(client, states, members_list):
    member = make_user("member", email="member@example.org")
    client.force_login(member)
    url = reverse("mailinglists:preferences")
    page = client.get(url).content.decode()
    assert "member@example.org" in page
    assert "Taskforce only" in page  # the members-only list is offered to a member
    response = client.post(url, {"reminders": "on", "states": [states["HTI"].pk], "days": ["1"]})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="member@example.org")
    assert subscriber.user == member and subscriber.confirmed_at is not None
    assert subscriber.reminder_preference.opted_in


def test_members_only_list_not_offered_to_others(client, members_list, public_list):
    client.force_login(make_user("registered"))
    page = client.get(reverse("mailinglists:preferences")).content.decode()
    assert "Housing news" in page
    assert "Taskforce only" not in page


def test_link_by_mail_without_enumeration(
    client, smtp_server, public_list, django_capture_on_commit_callbacks
):
    active_subscription("known@example.org", public_list)
    url = reverse("mailinglists:preferences")
    assert b"E-mail me the link" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "known@example.org"})
        unknown = client.post(url, {"email": "unknown@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("mailinglists:preferences_sent")
    (mail,) = smtp_server.messages
    assert mail.rcpt_tos == ["known@example.org"]
    (link,) = [u for u in mail.links() if "/lists/preferences/" in u]
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_link_request_honeypot_and_rate_limit(
    client, smtp_server, settings, public_list, django_capture_on_commit_callbacks
):
    active_subscription("known@example.org", public_list)
    url = reverse("mailinglists:preferences")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "known@example.org", "contact_website": "spam"})
    assert smtp_server.messages == []
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "list_preferences": "2/h"}
    assert client.post(url, {"email": "a@example.org"}).status_code == 302
    assert client.post(url, {"email": "b@example.org"}).status_code == 429


def test_saving_own_preferences_is_not_rate_limited(client, settings, public_list):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "list_preferences": "1/h"}
    client.force_login(make_user("registered"))
    url = reverse("mailinglists:preferences")
    assert [client.post(url, {"lists": [public_list.pk]}).status_code for _ in range(3)] == [
        302
    ] * 3


def test_bad_preferences_token(client):
    assert (
        client.get(reverse("mailinglists:preferences_token", args=["forged:token"])).status_code
        == 400
    )
