"""Sending a post: claim pending delivery rows in batches, send each over one SMTP
connection per batch, record each outcome the moment it is known.

Guarantees (and their honest limits)
------------------------------------
* **Nothing is lost.** Every recipient has a `Delivery` row from the moment sending starts
  (`services.start_sending`). A row leaves `pending` only when the SMTP server accepted the
  message (`sent`) or refused it for good / too often (`failed`, with the error kept).
  An outage leaves rows `pending` with a `next_attempt_at`; a later run (the re-enqueued
  task, `uprhub manage deliver_posts`, or the next worker start) sends them.
* **Nothing is sent twice** when the server refuses, drops the connection, or is down: a
  row is marked `sent` in its own autocommitted UPDATE right after the server's "250" for
  that message, and a run only ever claims `pending` rows. Re-running, or enqueuing the
  task twice, sends nothing again; two workers never claim the same row
  (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises the claiming
  transactions, which begin IMMEDIATE).
* **The limit:** if the *worker process* dies (or the database is unreachable) between the
  server's "250" and that row's UPDATE — a window of one message — the row stays claimed;
  once its claim times out (CLAIM_TIMEOUT) it is sent again. So a crash can duplicate at
  most the one message in flight per worker. The same holds when the connection breaks
  right after the final "." of DATA and before the reply arrives: SMTP cannot tell us
  whether that message was accepted, and we prefer a rare duplicate to a lost message.

Runs must happen in autocommit (outside `transaction.atomic`): the task and the command do.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from uprhub.core.mail import HeaderInjectionError, classify, describe
from uprhub.core.mailmessage import RetryPolicy

from .models import Delivery, DeliveryStatus, Post, PostStatus, SubscriptionStatus
from .rendering import PostMailer

log = logging.getLogger(__name__)

#: A claim older than this belongs to a worker that died; its rows may be taken over.
#: It must exceed the time one batch takes (200 messages, normally about a second).
CLAIM_TIMEOUT = timedelta(minutes=30)
#: Longest wait between two attempts at one address.
MAX_RETRY_DELAY = timedelta(hours=1)


def batch_size() -> int:
    return int(getattr(settings, "UPRHUB_LIST_BATCH_SIZE", 200))


RETRY = RetryPolicy("UPRHUB_LIST_MAX_ATTEMPTS", 8, "UPRHUB_LIST_RETRY_SECONDS", MAX_RETRY_DELAY)
max_attempts = RETRY.max_attempts
retry_delay = RETRY.delay


class ConnectionLost(Exception):
    """The server went away or refused service: stop this run, retry later."""


@dataclass
class RunReport:
    post_id: int
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    remaining: int = 0
    connection_error: str = ""
    next_attempt_at: datetime | None = None
    finished: bool = False

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["next_attempt_at"] = self.next_attempt_at.isoformat() if self.next_attempt_at else None
        return data


def _eligible(post_id: int, now: datetime) -> Any:
    return (
        Delivery.objects.filter(post_id=post_id, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_by="") | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    )


def _claim(post_id: int, worker: str, size: int) -> list[Delivery]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            _eligible(post_id, now)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(claimed_by=worker, claimed_at=now)
    return list(
        Delivery.objects.filter(pk__in=ids, claimed_by=worker)
        .select_related("subscription__subscriber")
        .order_by("pk")
    )


def _release(deliveries: list[Delivery], worker: str) -> None:
    """Give back claimed rows that were not attempted (no attempt is counted)."""
    if deliveries:
        Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], claimed_by=worker, status=DeliveryStatus.PENDING
        ).update(claimed_by="", claimed_at=None)


def _mark_sent(delivery: Delivery, worker: str) -> None:
    # Its own autocommitted statement: once this returns, a re-run will not send it again.
    Delivery.objects.filter(pk=delivery.pk, claimed_by=worker).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
        next_attempt_at=None,
        claimed_by="",
        claimed_at=None,
    )


def _mark_failed(delivery: Delivery, worker: str, error: str, *, permanent: bool) -> bool:
    """Record a failed attempt; True when the row gave up (failed), False when it waits."""
    fields, gave_up = RETRY.after_failure(
        delivery.attempts,
        error,
        permanent=permanent,
        pending=DeliveryStatus.PENDING,
        failed=DeliveryStatus.FAILED,
    )
    Delivery.objects.filter(pk=delivery.pk, claimed_by=worker).update(**fields)
    return gave_up


def _send_batch(batch: list[Delivery], mailer: PostMailer, worker: str, report: RunReport) -> None:
    connection = mailers.default
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        _release(batch, worker)
        raise ConnectionLost(describe(error)) from error
    try:
        for index, delivery in enumerate(batch):
            subscription = delivery.subscription
            if subscription is not None and subscription.status != SubscriptionStatus.ACTIVE:
                # Unsubscribed after the post started: honour it.
                _mark_failed(delivery, worker, "Unsubscribed before delivery", permanent=True)
                report.failed += 1
                continue
            try:
                message = mailer.message(delivery.email, subscription)
                connection.send_messages([message])
            except (HeaderInjectionError, ValueError) as error:
                # A malformed address: no retry will fix it.
                _mark_failed(delivery, worker, describe(error), permanent=True)
                report.failed += 1
            except (smtplib.SMTPException, OSError) as error:
                kind = classify(error)
                gave_up = _mark_failed(
                    delivery, worker, describe(error), permanent=kind == "permanent"
                )
                if gave_up:
                    report.failed += 1
                else:
                    report.deferred += 1
                if kind == "connection":
                    _release(batch[index + 1 :], worker)
                    raise ConnectionLost(describe(error)) from error
            except Exception as error:
                # A bug or an odd message must not stall the post forever: count it as an
                # attempt (so max_attempts bounds it) and go on with the next recipient.
                log.exception(
                    "Post %s: unexpected error for delivery %s", mailer.post.pk, delivery.pk
                )
                if _mark_failed(delivery, worker, describe(error), permanent=False):
                    report.failed += 1
                else:
                    report.deferred += 1
            else:
                _mark_sent(delivery, worker)
                report.sent += 1
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            log.debug("Closing a broken SMTP connection failed", exc_info=True)


def deliver_post(
    post_id: int, *, worker: str | None = None, max_batches: int | None = None
) -> RunReport:
    """Send every due pending delivery of a post; see the module docstring for guarantees."""
    report = RunReport(post_id=post_id)
    post = Post.objects.select_related("mailing_list").filter(pk=post_id).first()
    if post is None or post.status == PostStatus.DRAFT:
        return report  # deleted, or never started: nothing to do
    worker = worker or get_random_string(16)
    mailer = PostMailer(post)
    batches = 0
    while max_batches is None or batches < max_batches:
        batch = _claim(post_id, worker, batch_size())
        if not batch:
            break
        batches += 1
        try:
            _send_batch(batch, mailer, worker, report)
        except ConnectionLost as error:
            report.connection_error = str(error)
            log.warning("Post %s: SMTP unavailable (%s); will retry", post_id, error)
            break
    _finish(post, report)
    return report


def _finish(post: Post, report: RunReport) -> None:
    pending = Delivery.objects.filter(post=post, status=DeliveryStatus.PENDING)
    report.remaining = pending.count()
    if report.remaining == 0:
        report.finished = True
        Post.objects.filter(pk=post.pk, status=PostStatus.SENDING).update(
            status=PostStatus.SENT, finished_at=timezone.now(), last_error=""
        )
        return
    report.next_attempt_at = next_attempt_at(post.pk)
    if report.connection_error:
        Post.objects.filter(pk=post.pk).update(last_error=report.connection_error[:500])


def next_attempt_at(post_id: int) -> datetime | None:
    """When the earliest pending row of a post becomes due (now, if one is due already)."""
    now = timezone.now()
    pending = Delivery.objects.filter(post_id=post_id, status=DeliveryStatus.PENDING)
    if _eligible(post_id, now).exists():
        return now
    unclaimed = pending.filter(claimed_by="").aggregate(at=Min("next_attempt_at"))["at"]
    claimed = pending.exclude(claimed_by="").aggregate(at=Min("claimed_at"))["at"]
    candidates = [at for at in (unclaimed, claimed + CLAIM_TIMEOUT if claimed else None) if at]
    return min(candidates) if candidates else None


def posts_with_pending_deliveries() -> list[int]:
    return list(
        Post.objects.filter(status=PostStatus.SENDING)
        .filter(deliveries__status=DeliveryStatus.PENDING)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def finish_empty_posts() -> None:
    """Posts still marked sending with no pending row (e.g. all unsubscribed) are done."""
    for post in Post.objects.filter(status=PostStatus.SENDING).exclude(
        deliveries__status=DeliveryStatus.PENDING
    ):
        _finish(post, RunReport(post_id=post.pk))
