"""An SMTP outage loses no message and sends none twice.

The server is a real aiosmtpd on loopback that accepts `stop_after` messages, answers the
next one with "421 shutting down" and stops — in the middle of a batch. Then: a run while it
is down, a restart on the same port, re-runs. Every address must end up with exactly one
message, counted on the server side.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from asgiref.local import Local
from django.core.management import call_command
from django.tasks import task_backends
from django.utils import timezone

from uprhub.mailinglists import delivery, services
from uprhub.mailinglists.models import Delivery, DeliveryStatus, Post, PostStatus

from .factories import PostFactory, coordinator, subscribe_many

pytestmark = pytest.mark.django_db


def statuses(post) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in post.deliveries.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_server_stops_mid_batch_then_comes_back(
    flaky_smtp, public_list, settings, django_capture_on_commit_callbacks
):
    settings.UPRHUB_LIST_BATCH_SIZE = 10
    addresses = subscribe_many(public_list, 25)
    post = PostFactory(mailing_list=public_list)
    flaky_smtp.stop_after = 13  # in the middle of the second batch of ten

    # 1. Sending starts (the task runs at once under the immediate backend) and the server
    #    goes away after 13 messages.
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(post, actor=coordinator())
    flaky_smtp.wait_stopped()
    assert len(flaky_smtp.mailbox.messages) == 13
    assert statuses(post) == {DeliveryStatus.SENT: 13, DeliveryStatus.PENDING: 12}
    refused = Delivery.objects.get(post=post, attempts=1, status=DeliveryStatus.PENDING)
    assert refused.last_error.startswith("421")
    assert refused.next_attempt_at > timezone.now()
    # Nothing is left claimed: another worker may take over at once.
    assert not post.deliveries.exclude(claimed_by="").exists()
    post.refresh_from_db()
    assert post.status == PostStatus.SENDING and "421" in post.last_error

    # 2. A run while the server is down changes nothing and sends nothing.
    report = delivery.deliver_post(post.pk)
    assert report.sent == 0 and report.connection_error and report.remaining == 12
    assert statuses(post) == {DeliveryStatus.SENT: 13, DeliveryStatus.PENDING: 12}

    # 3. The server is back on the same port. A re-run sends the 11 never tried; the one
    #    refused with 421 waits for its back-off.
    flaky_smtp.stop_after = None
    flaky_smtp.start()
    report = delivery.deliver_post(post.pk)
    assert (report.sent, report.remaining) == (11, 1)
    assert report.next_attempt_at == refused.next_attempt_at

    # 4. After the back-off, the last one goes; a further run sends nothing.
    with time_machine.travel(refused.next_attempt_at + timedelta(seconds=1)):
        call_command("deliver_posts", verbosity=0)
        assert delivery.deliver_post(post.pk).sent == 0

    assert flaky_smtp.count_by_address() == dict.fromkeys(addresses, 1)
    assert statuses(post) == {DeliveryStatus.SENT: 25}
    post.refresh_from_db()
    assert post.status == PostStatus.SENT and post.finished_at is not None
    assert post.deliveries.get(pk=refused.pk).attempts == 2


def test_temporary_refusal_is_retried_with_back_off(flaky_smtp, public_list, settings):
    settings.UPRHUB_LIST_MAX_ATTEMPTS = 3
    addresses = subscribe_many(public_list, 3)
    flaky_smtp.tempfail = {addresses[1]}
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        report = delivery.deliver_post(post.pk)
    assert (report.sent, report.deferred, report.remaining) == (2, 1, 1)
    row = Delivery.objects.get(email=addresses[1])
    assert row.last_error.startswith("451") and row.attempts == 1
    assert row.next_attempt_at == start + timedelta(seconds=60)

    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert delivery.deliver_post(post.pk).sent == 0  # not yet
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert delivery.deliver_post(post.pk).deferred == 1
    row.refresh_from_db()
    # The wait doubles: 60 s after the first failure, 120 s after the second.
    assert row.attempts == 2
    assert row.next_attempt_at == start + timedelta(seconds=61 + 120)

    with time_machine.travel(start + timedelta(seconds=200), tick=False):
        report = delivery.deliver_post(post.pk)
    assert report.failed == 1 and report.remaining == 0
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.attempts == 3
    assert flaky_smtp.count_by_address() == {addresses[0]: 1, addresses[2]: 1}
    assert Post.objects.get(pk=post.pk).status == PostStatus.SENT


def test_rows_claimed_by_a_dead_worker_are_taken_over_later(flaky_smtp, public_list):
    addresses = subscribe_many(public_list, 4)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    start = timezone.now()
    # A worker claimed two rows and died before sending them.
    dead = list(post.deliveries.order_by("pk")[:2].values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=dead).update(claimed_by="dead-worker", claimed_at=start)

    report = delivery.deliver_post(post.pk)
    assert (report.sent, report.remaining) == (2, 2)
    assert report.next_attempt_at == start + delivery.CLAIM_TIMEOUT

    with time_machine.travel(start + delivery.CLAIM_TIMEOUT + timedelta(seconds=1)):
        assert delivery.deliver_post(post.pk).sent == 2
    assert flaky_smtp.count_by_address() == dict.fromkeys(addresses, 1)


def test_two_workers_never_send_the_same_row(flaky_smtp, public_list, settings):
    settings.UPRHUB_LIST_BATCH_SIZE = 3
    addresses = subscribe_many(public_list, 9)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    first = delivery.deliver_post(post.pk, worker="worker-a", max_batches=1)
    second = delivery.deliver_post(post.pk, worker="worker-b", max_batches=1)
    rest = delivery.deliver_post(post.pk, worker="worker-a")
    assert (first.sent, second.sent, rest.sent) == (3, 3, 3)
    assert flaky_smtp.count_by_address() == dict.fromkeys(addresses, 1)


@pytest.fixture
def database_tasks(settings):
    """Use django-tasks-db for one test. `django.tasks` caches its backends and the TASKS
    setting on first use, so the cache is reset on the way in and out."""

    def reset() -> None:
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reset()
    yield
    reset()


@pytest.mark.django_db(transaction=True)
def test_database_worker_sends_and_retries_after_an_outage(
    database_tasks, flaky_smtp, public_list, settings
):
    from django_tasks_db.models import DBTaskResult

    addresses = subscribe_many(public_list, 6)
    post = PostFactory(mailing_list=public_list)
    flaky_smtp.stop_after = 0  # the server is there, then gone at the first message
    services.start_sending(
        post, actor=coordinator()
    )  # commits: the task is stored, nothing sent yet
    assert DBTaskResult.objects.count() == 1
    assert post.deliveries.filter(status=DeliveryStatus.PENDING).count() == 6

    # The worker runs it; the server is gone, so the task re-enqueues itself for later.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    flaky_smtp.wait_stopped()
    assert flaky_smtp.mailbox.messages == []
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after > timezone.now()
    assert retry.args_kwargs == {"args": [post.pk, 1], "kwargs": {}}

    # The server comes back; once the retry is due the worker finishes the post.
    flaky_smtp.stop_after = None
    flaky_smtp.start()
    with time_machine.travel(retry.run_after + timedelta(seconds=1)):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert flaky_smtp.count_by_address() == dict.fromkeys(addresses, 1)
    post.refresh_from_db()
    assert post.status == PostStatus.SENT
    assert not DBTaskResult.objects.filter(status="READY").exists()
