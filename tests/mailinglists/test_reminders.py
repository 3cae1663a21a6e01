"""Deadline reminders: the right people, the right days, each reminder exactly once."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.accounts.factories import make_user
from tests.calendar.factories import DeadlineFactory, review, session, utc
from uprhub.mailinglists.models import (
    DeliveryStatus,
    ReminderLog,
    ReminderPreference,
    Subscriber,
)
from uprhub.mailinglists.reminders import send_reminders
from uprhub.mailinglists.tasks import send_reminders_task

from .factories import SubscriberFactory, active_subscription

pytestmark = pytest.mark.django_db
GENEVA = ZoneInfo("Europe/Zurich")
KEY_HTI_7 = "hti-54-stakeholder_submission:7"
# The stakeholder deadline of UPR 54 is 25 June 2026, 23:59 Geneva = 21:59 UTC; its 7-day
# reminder moment is 18 June 21:59 UTC.
SEVEN_DAYS_BEFORE = utc(2026, 6, 18, 22, 30)


@pytest.fixture
def calendar(db):
    s54 = session(54, date(2027, 1, 25), date(2027, 2, 5))
    hti = review("HTI", s54, name="Haiti")
    isl = review("ISL", s54, name="Iceland")
    DeadlineFactory(session=s54, due=datetime(2026, 6, 25, 23, 59, tzinfo=GENEVA))
    return {"HTI": hti.state, "ISL": isl.state}


def follow(subscriber: Subscriber, *states, days=(60, 30, 7, 1), opted_in=True):
    preference = ReminderPreference.objects.create(
        subscriber=subscriber, opted_in=opted_in, days=list(days)
    )
    preference.states.set(states)
    return preference


@pytest.fixture
def people(calendar, public_list):
    member_user = make_user("member", email="member@example.org")
    member = SubscriberFactory(email="member@example.org", user=member_user)
    follow(member, calendar["HTI"])
    reader = active_subscription("reader@example.org", public_list).subscriber
    follow(reader, calendar["HTI"], calendar["ISL"], days=(7,))
    # These get nothing: not opted in; no list and no member role; only other days.
    follow(
        active_subscription("quiet@example.org", public_list).subscriber,
        calendar["HTI"],
        opted_in=False,
    )
    follow(SubscriberFactory(email="stranger@example.org"), calendar["HTI"])
    registered = make_user("registered", email="registered@example.org")
    follow(SubscriberFactory(email="registered@example.org", user=registered), calendar["HTI"])
    follow(
        active_subscription("monthly@example.org", public_list).subscriber,
        calendar["HTI"],
        days=(30,),
    )
    return {"member": member, "reader": reader}


def stakeholder_mail(mailbox, address):
    return [m for m in mailbox.to(address) if "Stakeholder submissions due" in m.subject]


def test_each_reminder_exactly_once(smtp_server, people):
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        first = send_reminders()
        second = send_reminders()
    with time_machine.travel(SEVEN_DAYS_BEFORE + timedelta(hours=6), tick=False):
        third = send_reminders()  # still inside the one-day window
    assert first.sent >= 3 and second.sent == third.sent == 0
    assert second.skipped == first.created

    sent_to = {tuple(m.rcpt_tos) for m in smtp_server.messages}
    assert sent_to <= {("member@example.org",), ("reader@example.org",)}
    assert len(stakeholder_mail(smtp_server, "member@example.org")) == 1
    # The reader follows both States reviewed at the session: one reminder for each.
    assert len(stakeholder_mail(smtp_server, "reader@example.org")) == 2
    assert ReminderLog.objects.filter(key=KEY_HTI_7).count() == 2
    assert not ReminderLog.objects.exclude(status=DeliveryStatus.SENT).exists()
    # Every message has exactly one log row and vice versa.
    assert len(smtp_server.messages) == ReminderLog.objects.count()


def test_reminder_mail(smtp_server, people):
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        send_reminders()
    (mail,) = [
        m for m in stakeholder_mail(smtp_server, "member@example.org") if "Haiti" in m.subject
    ]
    assert mail.subject == "In 7 days: Stakeholder submissions due – Haiti"
    assert "Thursday 25 June 2026, 23:59 (Europe/Zurich)" in mail.text
    assert "/calendar/HTI/" in mail.text and "/calendar/HTI/" in mail.html
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    off = re.search(
        r"<(http://testserver/lists/reminders/off/[^>]+)>", mail.message["List-Unsubscribe"]
    )[1]
    assert off in mail.text and off in mail.html
    response = Client(enforce_csrf_checks=True).post(
        off.removeprefix("http://testserver"),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not ReminderPreference.objects.get(subscriber=people["member"]).opted_in


def test_days_preference_is_respected(smtp_server, people, calendar):
    thirty_days_before = utc(2026, 5, 26, 22, 30)
    with time_machine.travel(thirty_days_before, tick=False):
        send_reminders()
    recipients = {m.rcpt_tos[0] for m in smtp_server.messages if "Stakeholder" in m.subject}
    assert recipients == {"member@example.org", "monthly@example.org"}


def test_outage_then_retry_sends_each_once(flaky_smtp, people):
    flaky_smtp.stop_after = 1
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        report = send_reminders()
    flaky_smtp.wait_stopped()
    assert report.sent == 1 and report.connection_error
    waiting = ReminderLog.objects.filter(status=DeliveryStatus.PENDING)
    assert waiting.count() == ReminderLog.objects.count() - 1
    assert all(row.attempts == 1 for row in waiting)

    with time_machine.travel(SEVEN_DAYS_BEFORE + timedelta(minutes=10), tick=False):
        assert send_reminders().sent == 0  # still down: nothing lost, nothing sent
    flaky_smtp.stop_after = None
    flaky_smtp.start()
    with time_machine.travel(SEVEN_DAYS_BEFORE + timedelta(hours=1), tick=False):
        retried = send_reminders()
        again = send_reminders()
    assert retried.sent == ReminderLog.objects.count() - 1 and again.sent == 0
    per_key: dict[tuple[str, str], int] = {}
    for received in flaky_smtp.mailbox.messages:
        key = (received.rcpt_tos[0], received.subject)
        per_key[key] = per_key.get(key, 0) + 1
    assert set(per_key.values()) == {1}
    assert len(per_key) == ReminderLog.objects.count()


def test_stale_failed_reminder_is_not_sent_after_the_deadline(flaky_smtp, people):
    flaky_smtp.stop_after = 0
    with time_machine.travel(SEVEN_DAYS_BEFORE, tick=False):
        send_reminders()
    flaky_smtp.wait_stopped()
    flaky_smtp.stop_after = None
    flaky_smtp.start()
    with time_machine.travel(utc(2026, 6, 26, 12, 0), tick=False):  # deadline passed
        send_reminders()
    assert not [m for m in flaky_smtp.mailbox.messages if "Stakeholder" in m.subject]
    row = ReminderLog.objects.get(email="member@example.org", key=KEY_HTI_7)
    assert row.status == DeliveryStatus.FAILED and "deadline passed" in row.last_error


def test_task_and_command(smtp_server, people):
    result = send_reminders_task.enqueue(SEVEN_DAYS_BEFORE.isoformat())
    assert result.return_value["sent"] >= 3
    out = StringIO()
    call_command("send_reminders", "--now", SEVEN_DAYS_BEFORE.isoformat(), stdout=out)
    assert json.loads(out.getvalue())["sent"] == 0
