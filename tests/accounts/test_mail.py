"""E-mail goes over SMTP, after commit, and header injection is impossible."""

from __future__ import annotations

import pytest
from django.db import transaction

from uprhub.core.mail import HeaderInjectionError, schedule_mail, send_mail_message
from uprhub.core.models import OutboxMessage, OutboxStatus


def test_send_over_smtp(smtp_server):
    send_mail_message(
        "someone@example.org", "Hello", "Plain text", html="<p>HTML</p>", headers={"X-Tag": "1"}
    )
    mail = smtp_server.only()
    assert mail.rcpt_tos == ["someone@example.org"]
    assert mail.subject == "Hello"
    assert mail.text.strip() == "Plain text"
    assert mail.html.strip() == "<p>HTML</p>"
    assert mail.message["X-Tag"] == "1"


@pytest.mark.parametrize(
    ("to", "subject", "headers"),
    [
        ("someone@example.org", "Hello\r\nBcc: victim@example.org", None),
        ("someone@example.org", "Hello\nBcc: victim@example.org", None),
        ("someone@example.org\r\nBcc: victim@example.org", "Hello", None),
        (["ok@example.org", "x@example.org\nCc: victim@example.org"], "Hello", None),
        ("someone@example.org", "Hello", {"X-Tag": "a\r\nBcc: victim@example.org"}),
        ("someone@example.org", "Hello", {"X-Tag\r\nBcc": "victim@example.org"}),
    ],
)
def test_header_injection_is_refused(smtp_server, to, subject, headers):
    with pytest.raises(HeaderInjectionError):
        send_mail_message(to, subject, "body", headers=headers)
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_scheduled_mail_waits_for_commit_and_is_dropped_on_rollback(smtp_server, settings):
    settings.UPRHUB_SITE_URL = "http://testserver"

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        schedule_mail("gone@example.org", "application_received", {"apply_url": "x"})
        raise Rollback
    assert smtp_server.messages == []

    with transaction.atomic():
        schedule_mail("kept@example.org", "application_received", {"apply_url": "x"})
        assert smtp_server.messages == []
    assert [m.rcpt_tos for m in smtp_server.messages] == [["kept@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_delivery_failure_after_commit_is_kept_for_a_retry_not_raised(settings, caplog):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},  # nothing listens
        }
    }
    with transaction.atomic():
        schedule_mail("someone@example.org", "application_received", {"apply_url": "x"})
    assert "mail server unavailable" in caplog.text
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at is not None


def test_scheduling_refuses_injection_before_anything_is_saved():
    with pytest.raises(HeaderInjectionError):
        schedule_mail("a@example.org\nBcc: b@example.org", "application_received", {})
