"""One-to-one e-mail goes through the outbox: the page says it is being sent, a mail server
that is down is tried again later, and without a mail server the message is shown to the
person running UPR Hub (console and the admin Outbox page)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import ApplicationFactory, make_user
from tests.smtp import _free_port
from uprhub.core import outbox
from uprhub.core.mail import schedule_mail
from uprhub.core.models import OutboxMessage, OutboxStatus
from uprhub.core.outbox import deliver_outbox

pytestmark = pytest.mark.django_db(transaction=True)

CONSOLE = "django.core.mail.backends.console.EmailBackend"


def smtp_at(settings, host: str, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": host, "port": port, "timeout": 2},
        }
    }


@pytest.fixture
def smtp_down(settings, smtp_controller):
    """The mail server is down (nothing listens on its port); returns a function that
    brings a real one up."""
    smtp_controller.clear()
    smtp_at(settings, "127.0.0.1", _free_port())

    def bring_up():
        smtp_at(settings, smtp_controller.host, smtp_controller.port)
        return smtp_controller

    return bring_up


def later(minutes: int = 5):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True)


def test_smtp_down_the_page_says_sending_and_the_mail_arrives_once_the_server_is_up(
    client, form_data, smtp_down, site_url
):
    response = client.post(reverse("coalition:apply"), form_data, follow=True)
    page = response.content.decode()
    assert "We are sending a confirmation to the address you gave" in page
    assert "We have sent" not in page

    message = OutboxMessage.objects.get()
    assert message.to == "rosa.parks@example.org"
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > timezone.now()

    # Still down at the next attempt: it waits longer, nothing is lost.
    with later(2), pytest.raises(CommandError):
        call_command("deliver_outbox", verbosity=0)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 2)

    mailbox = smtp_down()  # the server is back
    assert outbox.deliver() == {"sent": 0, "failed": 0, "deferred": 0}  # not due yet
    with later(10):
        assert deliver_outbox.enqueue().return_value == {"sent": 1, "failed": 0, "deferred": 0}
        assert deliver_outbox.enqueue().return_value["sent"] == 0  # never twice
    mail = mailbox.only()
    assert mail.rcpt_tos == ["rosa.parks@example.org"]
    assert mail.subject == "We received your application to the UPR Taskforce"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 3 and message.last_error == ""
    # Delivered: the text (which may hold a link) is not kept.
    assert message.text == "" and message.subject


def test_approved_member_gets_the_set_password_link_after_an_outage(
    client, smtp_down, site_url, themes
):
    application = ApplicationFactory(name="Ana Souza", email="ana@example.org")
    client.force_login(make_user("coordinator"))
    response = client.post(
        reverse("coalition:application_detail", args=[application.pk]),
        {"decision": "approve", "message": "Welcome aboard."},
        follow=True,
    )
    page = response.content.decode()
    assert "a message to Ana Souza is queued" in page
    assert "has been e-mailed" not in page
    assert OutboxMessage.objects.get(to="ana@example.org").status == OutboxStatus.PENDING

    mailbox = smtp_down()
    with later(10):
        call_command("deliver_outbox", verbosity=0)
    mail = mailbox.only()
    assert mail.text.startswith("Dear Ana Souza,")
    (link,) = [url for url in mail.links() if "/accounts/password/choose/" in url]
    assert client.get(urlsplit(link).path, follow=True).status_code == 200


def test_a_rolled_back_action_queues_nothing(settings, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule_mail("gone@example.org", "application_received", {"apply_url": "x"})
        raise RuntimeError
    assert not OutboxMessage.objects.exists()
    assert smtp_server.messages == []


def test_without_a_mail_server_mail_is_on_the_console_and_the_outbox_page(
    client, settings, capsys, site_url
):
    settings.MAILERS = {"default": {"BACKEND": CONSOLE}}
    user = make_user("member", email="bea@example.org", name="Beatriz Nascimento")
    with transaction.atomic():
        client.post(reverse("accounts:password_reset"), {"email": "bea@example.org"})

    printed = capsys.readouterr().out
    assert "To: bea@example.org" in printed
    assert "Subject: Choose a new UPR Hub password" in printed
    assert "Dear Beatriz Nascimento," in printed
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.CAPTURED
    assert "/accounts/password/reset/" in message.text  # kept: this is where it is read

    admin = make_user("admin")
    client.force_login(admin)
    page = client.get(reverse("core:outbox")).content.decode()
    assert "No mail server is configured" in page
    assert "bea@example.org" in page
    assert "Choose a new UPR Hub password" in page
    assert "Dear Beatriz Nascimento," in page
    assert "Not sent (no mail server): shown on the console" in page
    assert message.text.split("\n")[4].strip() in page  # the link, readable
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:outbox")}"' in home
    assert user.pk  # the account whose mail it is


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("coordinator", 403)])
def test_the_outbox_is_for_administrators_only(client, role, status):
    OutboxMessage.objects.create(to="x@example.org", subject="Secret link", text="token")
    if role != "anonymous":
        client.force_login(make_user(role))
    response = client.get(reverse("core:outbox"))
    assert response.status_code == status
    assert b"Secret link" not in response.content


def test_the_outbox_page_shows_waiting_and_failed_messages(client, settings):
    smtp_at(settings, "127.0.0.1", 9)
    OutboxMessage.objects.create(
        to="wait@example.org",
        subject="Waiting",
        attempts=2,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at=timezone.now() + timedelta(minutes=4),
    )
    OutboxMessage.objects.create(
        to="bad@example.org", subject="Refused", status=OutboxStatus.FAILED, last_error="550 No"
    )
    client.force_login(make_user("admin"))
    page = client.get(reverse("core:outbox")).content.decode()
    assert "No mail server is configured" not in page
    assert "Queued (1)" in page and "Failed (1)" in page
    assert "next attempt" in page and "Connection refused" in page and "550 No" in page
    only_failed = client.get(reverse("core:outbox"), {"status": "failed"}).content.decode()
    assert "bad@example.org" in only_failed and "wait@example.org" not in only_failed


def test_a_message_refused_for_good_is_not_retried(settings, smtp_server):
    settings.UPRHUB_EMAIL_MAX_ATTEMPTS = 2
    smtp_at(settings, "127.0.0.1", _free_port())
    with transaction.atomic():
        schedule_mail("someone@example.org", "application_received", {"apply_url": "x"})
    with later(10):
        outbox.deliver()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 2)
    with later(120):
        assert outbox.deliver() == {"sent": 0, "failed": 0, "deferred": 0}


@pytest.mark.parametrize("captured", [True, False])
def test_a_posts_delivery_log_says_when_sent_means_printed(client, settings, captured):
    from tests.mailinglists.factories import MailingListFactory, PostFactory

    if captured:
        settings.MAILERS = {"default": {"BACKEND": CONSOLE}}
    else:
        smtp_at(settings, "127.0.0.1", 25)
    post = PostFactory(mailing_list=MailingListFactory(visibility="public"))
    client.force_login(make_user("coordinator"))
    page = client.get(reverse("mailinglists:deliveries", args=[post.pk])).content.decode()
    assert ("nobody received them" in page) is captured
