"""The list headers as they travel over SMTP: plain `<https://…>`, one line, never encoded.

Mail clients (Gmail, Apple Mail…) read List-Unsubscribe from the raw header to offer
one-click unsubscribe (RFC 8058). The standard library folds headers at 78 columns and, when
one word is longer (a signed unsubscribe link always is), RFC 2047-encodes the whole value:
`=?utf-8?q?=3Chttps=3A//…?=`, which no client turns back into a URL.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.calendar.factories import DeadlineFactory, review, session, utc
from tests.smtp import Received
from uprhub.mailinglists import services
from uprhub.mailinglists.models import ReminderPreference
from uprhub.mailinglists.reminders import send_reminders

from .factories import PostFactory, active_subscription, coordinator

pytestmark = pytest.mark.django_db

# A realistic public address: long enough that every unsubscribe URL exceeds 78 columns.
SITE = "https://upr-hub.human-rights-coalition.example.org"


@pytest.fixture(autouse=True)
def long_site(settings) -> None:
    settings.UPRHUB_SITE_URL = SITE


def header_line(received: Received, name: str) -> str:
    """The header's one physical line on the wire (fails if it was folded onto several)."""
    lines = received.raw_headers.decode("ascii").split("\r\n")
    (index,) = [i for i, line in enumerate(lines) if line.lower().startswith(name.lower() + ":")]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    assert not following.startswith((" ", "\t")), f"{name} was folded: {lines[index : index + 3]}"
    return lines[index]


def assert_plain_list_headers(received: Received) -> str:
    raw = received.raw_headers
    # (The subject may be encoded, it is text; the list headers never.)
    list_part = raw[raw.index(b"\r\nList-") :]
    assert b"=?utf-8?" not in list_part.lower(), raw.decode()
    assert b"\r\nList-Unsubscribe: <https://" in raw
    line = header_line(received, "List-Unsubscribe")
    (url,) = re.fullmatch(r"List-Unsubscribe: <(https://[^<>\s]+)>", line).groups()
    assert len(line) > 78  # long enough that the old folding would have applied
    assert header_line(received, "List-Unsubscribe-Post") == (
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    )
    return url


def test_post_list_headers_on_the_wire(
    smtp_server, public_list, django_capture_on_commit_callbacks
):
    active_subscription("reader@example.org", public_list)
    post = PostFactory(mailing_list=public_list, subject="Session 54")
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(post, actor=coordinator())

    received = smtp_server.only()
    url = assert_plain_list_headers(received)
    assert url.startswith(f"{SITE}/lists/u/")
    # The same link as in the body, whole, and the parsed header agrees with the raw one.
    assert url in received.text and url in received.html
    assert received.message["List-Unsubscribe"] == f"<{url}>"
    assert header_line(received, "List-Archive") == (
        f"List-Archive: <{SITE}/lists/archive/housing-news/>"
    )
    # And the link does what it says: RFC 8058 one-click POST, no session, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix(SITE),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "unsubscribed" in response.content.decode().lower()


def test_reminder_list_headers_on_the_wire(smtp_server, public_list):
    s54 = session(54, date(2027, 1, 25), date(2027, 2, 5))
    haiti = review("HTI", s54, name="Haiti")
    DeadlineFactory(
        session=s54, due=datetime(2026, 6, 25, 23, 59, tzinfo=ZoneInfo("Europe/Zurich"))
    )
    reader = active_subscription("reader@example.org", public_list).subscriber
    ReminderPreference.objects.create(subscriber=reader, opted_in=True, days=[7]).states.set(
        [haiti.state]
    )
    with time_machine.travel(utc(2026, 6, 18, 22, 30), tick=False):
        send_reminders()
    received = smtp_server.only()
    url = assert_plain_list_headers(received)
    assert url.startswith(f"{SITE}/lists/reminders/off/")
    assert url in received.text
