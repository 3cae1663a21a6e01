"""Sending one-to-one e-mail through the outbox: queue a row, let the worker send it.

`queue` stores the message in the caller's transaction (a rolled-back action sends
nothing) and, once it commits, enqueues `deliver_outbox_message` (below). Under the
database task backend the web request never waits for SMTP; the worker sends, and retries
with back-off while the server is down or answers 4xx (`retry_delay`), up to
`UPRHUB_EMAIL_MAX_ATTEMPTS` attempts. The guarantees are those of the list-post log
(`uprhub.mailinglists.delivery`): a row is claimed before it is sent, marked sent in its own
statement right after the server's "250", and a claim older than `CLAIM_TIMEOUT` (a dead
worker) may be taken over, so a crash can at most duplicate the one message in flight.

With no SMTP server configured (`UPRHUB_EMAIL_HOST` unset: `settings.UPRHUB_EMAIL_CAPTURED`)
messages go to the configured non-SMTP backend (the console) and are marked `captured`:
an administrator reads them on the Outbox page (`/outbox/`).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.tasks import task
from django.utils import timezone
from django.utils.crypto import get_random_string

from .mailmessage import (
    HeaderInjectionError,
    Message,
    RetryPolicy,
    check_message,
    classify,
    describe,
)
from .models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

#: A claim older than this belongs to a worker that died; the row may be taken over.
CLAIM_TIMEOUT = timedelta(minutes=10)
#: Longest wait between two attempts.
MAX_RETRY_DELAY = timedelta(hours=1)


RETRY = RetryPolicy("UPRHUB_EMAIL_MAX_ATTEMPTS", 12, "UPRHUB_EMAIL_RETRY_SECONDS", MAX_RETRY_DELAY)
max_attempts = RETRY.max_attempts
retry_delay = RETRY.delay


#: Kinds of message (template names) whose recipient and text are forgotten as soon as the
#: message is handled, sent or captured alike: the address and what the text holds are a
#: person's own (a consultation participant's address and receipt code). Filled by the apps
#: that queue them (`forget_when_handled`), so core names none of them.
_FORGOTTEN_KINDS: set[str] = set()


def forget_when_handled(kind: str) -> None:
    _FORGOTTEN_KINDS.add(kind)


def mail_is_captured() -> bool:
    """True when mail is only shown (console, outbox page), not delivered by SMTP."""
    backend = settings.MAILERS["default"]["BACKEND"]
    return backend != "django.core.mail.backends.smtp.EmailBackend"


def queue(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    kind: str = "",
) -> OutboxMessage:
    """Store one message for the worker; raises HeaderInjectionError before storing."""
    check_message([to], subject, headers)
    message = OutboxMessage.objects.create(
        to=to, subject=subject, text=text, html=html or "", headers=dict(headers or {}), kind=kind
    )

    def enqueue() -> None:
        try:
            deliver_outbox_message.enqueue(message.pk)
        except Exception:
            # The row is kept: the worker's sweep (at start, and `deliver_outbox`) sends it.
            log.exception("Could not enqueue outbox message %s", message.pk)

    transaction.on_commit(enqueue)
    return message


def _due(now: datetime) -> QuerySet[OutboxMessage]:
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_by="") | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    )


def _claim(worker: str, message_id: int | None, size: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        due = _due(now)
        if message_id is not None:
            due = due.filter(pk=message_id)
        ids = list(
            due.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(pk__in=ids).update(claimed_by=worker, claimed_at=now)
    return list(OutboxMessage.objects.filter(pk__in=ids, claimed_by=worker).order_by("pk"))


def _release(messages: list[OutboxMessage], worker: str) -> None:
    if messages:
        OutboxMessage.objects.filter(
            pk__in=[m.pk for m in messages], claimed_by=worker, status=OutboxStatus.PENDING
        ).update(claimed_by="", claimed_at=None)


def _mark_done(message: OutboxMessage, worker: str, *, captured: bool) -> None:
    # Its own autocommitted statement: once this returns, a re-run will not send it again.
    done: dict[str, object] = {
        "status": OutboxStatus.CAPTURED if captured else OutboxStatus.SENT,
        "sent_at": timezone.now(),
        "attempts": F("attempts") + 1,
        "last_error": "",
        "next_attempt_at": None,
        "claimed_by": "",
        "claimed_at": None,
    }
    if not captured:
        done.update(text="", html="")  # links in it are nobody else's business
    if message.kind in _FORGOTTEN_KINDS:
        # Printed on the console already when captured; nobody else needs it afterwards.
        done.update(to="", text="", html="")
    OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker).update(**done)


def _mark_failed(message: OutboxMessage, worker: str, error: str, *, permanent: bool) -> bool:
    """Record a failed attempt; True when the message gave up, False when it waits."""
    fields, gave_up = RETRY.after_failure(
        message.attempts,
        error,
        permanent=permanent,
        pending=OutboxStatus.PENDING,
        failed=OutboxStatus.FAILED,
    )
    OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker).update(**fields)
    return gave_up


def _email(message: OutboxMessage) -> Message:
    email = Message(
        subject=message.subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=dict(message.headers or {}),
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    return email


def deliver(message_id: int | None = None, *, batch: int = 100) -> dict[str, int]:
    """Send due pending messages (one, or every due one); return counts by outcome.

    Runs in autocommit (the worker's task, the `deliver_outbox` command). Stops at the first
    sign that the server is down: the rest wait for their next attempt.
    """
    worker = get_random_string(16)
    captured = mail_is_captured()
    counts = {"sent": 0, "failed": 0, "deferred": 0}
    while True:
        claimed = _claim(worker, message_id, batch)
        if not claimed:
            return counts
        connection = mailers.default
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            for message in claimed:
                _mark_failed(message, worker, describe(error), permanent=False)
            counts["deferred"] += len(claimed)
            log.warning("Outbox: mail server unavailable (%s); will retry", describe(error))
            return counts
        try:
            for index, message in enumerate(claimed):
                try:
                    connection.send_messages([_email(message)])
                except (HeaderInjectionError, ValueError) as error:
                    _mark_failed(message, worker, describe(error), permanent=True)
                    counts["failed"] += 1
                except (smtplib.SMTPException, OSError) as error:
                    kind = classify(error)
                    gave_up = _mark_failed(
                        message, worker, describe(error), permanent=kind == "permanent"
                    )
                    counts["failed" if gave_up else "deferred"] += 1
                    if kind == "connection":
                        _release(claimed[index + 1 :], worker)
                        log.warning("Outbox: mail server went away (%s)", describe(error))
                        return counts
                except Exception as error:
                    log.exception("Outbox: unexpected error for message %s", message.pk)
                    gave_up = _mark_failed(message, worker, describe(error), permanent=False)
                    counts["failed" if gave_up else "deferred"] += 1
                else:
                    _mark_done(message, worker, captured=captured)
                    counts["sent"] += 1
        finally:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                log.debug("Closing a broken SMTP connection failed", exc_info=True)
        if message_id is not None:
            return counts


def next_attempt_at(message_id: int | None = None) -> datetime | None:
    """When the (given, or earliest) pending message is due again; None when none waits."""
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    if message_id is not None:
        pending = pending.filter(pk=message_id)
    return pending.aggregate(at=Min("next_attempt_at"))["at"]


def is_pending(message_id: int) -> bool:
    return OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).exists()


# ------------------------------------------------------------------ background tasks
# `deliver_outbox_message` is enqueued once per message after its transaction commits; while
# the mail server is down it enqueues itself again for the message's next attempt (on
# backends that can defer: the database one run by `uprhub worker`). `deliver_outbox` sends
# every due message: the worker queues it at start, and `uprhub manage deliver_outbox` (cron)
# runs it too, so a message whose task was lost is still sent.


def _can_defer() -> bool:
    return bool(getattr(deliver_outbox_message.get_backend(), "supports_defer", False))


@task
def deliver_outbox_message(message_id: int) -> dict[str, int]:
    """Send one queued message; if it must wait (server down, 4xx), come back for it."""
    counts = deliver(message_id)
    if is_pending(message_id) and _can_defer():
        run_after = next_attempt_at(message_id) or timezone.now() + retry_delay(1)
        deliver_outbox_message.using(run_after=run_after).enqueue(message_id)
    return counts


@task
def deliver_outbox() -> dict[str, int]:
    """Send every due queued message (after a restart, an outage, or from cron)."""
    return deliver()
