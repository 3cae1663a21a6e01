"""The background worker survives: restarted when it dies, resumes orphaned work, rides out a
locked database; the coordinator sees the real sending state.

Real processes (the supervisor's child), real SMTP (aiosmtpd), real SQLite locks.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.db import connection
from django.tasks import task_backends
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.core.supervisor import WorkerSupervisor
from uprhub.mailinglists import services
from uprhub.mailinglists.models import DeliveryStatus, PostStatus

from .factories import PostFactory, coordinator, subscribe_many

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)", "worker"]


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def database_tasks(settings):
    """django-tasks-db for one test (`django.tasks` caches backends: reset in and out)."""

    def reset() -> None:
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reset()
    yield
    reset()


def run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    process.wait()
    return process.pid


# --- the supervisor ----------------------------------------------------------------------


def test_supervisor_restarts_a_killed_worker(caplog) -> None:
    caplog.set_level(logging.INFO, logger="uprhub.supervisor")
    supervisor = WorkerSupervisor(SLEEPER, base_delay=0.05, max_delay=1, check_every=0.02)
    supervisor.start()
    try:
        first = supervisor.pid
        assert first is not None and alive(first)
        os.kill(first, signal.SIGKILL)
        assert wait_until(lambda: supervisor.restarts == 1 and supervisor.pid not in (None, first))
        second = supervisor.pid
        assert second is not None and alive(second)
        assert f"pid {first}) exited with status -9" in caplog.text
        assert supervisor.next_delay == pytest.approx(0.1)  # doubled for the next quick death
        os.kill(second, signal.SIGKILL)
        assert wait_until(lambda: supervisor.restarts == 2)
    finally:
        last = supervisor.pid
        supervisor.stop(timeout=5)
    assert last is not None and wait_until(lambda: not alive(last), timeout=5)
    assert supervisor.poll() == "stopped"


def test_supervisor_back_off_doubles_is_capped_and_resets() -> None:
    now = [0.0]
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "raise SystemExit(3)"],
        base_delay=1,
        max_delay=4,
        healthy_after=30,
        clock=lambda: now[0],
    )
    supervisor.start(watch=False)
    waits: list[float] = []
    for _ in range(4):
        supervisor.process.wait(timeout=10)
        assert supervisor.poll() == "waiting"
        waits.append(supervisor._restart_at - now[0])
        now[0] += waits[-1] - 0.01
        assert supervisor.poll() == "waiting"  # not before its time
        now[0] += 0.01
        assert supervisor.poll() == "restarted"
    assert waits == [1, 2, 4, 4]
    # A worker that lived past `healthy_after` starts the back-off again from the beginning.
    supervisor.process.wait(timeout=10)
    now[0] += 31
    supervisor.poll()
    assert supervisor._restart_at - now[0] == 1
    supervisor.stop(timeout=5)


# --- resuming work a dead worker left RUNNING ----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_is_resumed_without_sending_twice(
    database_tasks, smtp_server, public_list
) -> None:
    from django_tasks_db.models import DBTaskResult

    addresses = subscribe_many(public_list, 4)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    task = DBTaskResult.objects.get()
    # The worker claimed the task, sent to the first two recipients and died.
    host = socket.gethostname()[:30]
    task.claim(f"{host}:{dead_pid()}:gone0000")
    done = post.deliveries.order_by("pk")[:2]
    post.deliveries.filter(pk__in=[d.pk for d in done]).update(status=DeliveryStatus.SENT)
    # Another task is RUNNING under a worker that is alive: it must be left alone.
    live = subprocess.Popen(SLEEPER)  # noqa: S603
    try:
        other = DBTaskResult.objects.create(
            task_path=task.task_path,
            args_kwargs={"args": [post.pk + 1000], "kwargs": {}},
            backend_name=task.backend_name,
            run_after=task.run_after,
            status="RUNNING",
            worker_ids=[f"{host}:{live.pid}:alive000"],
        )
        run_worker()
    finally:
        live.kill()
        live.wait()

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert len(task.worker_ids) == 2  # the dead worker, then ours
    other.refresh_from_db()
    assert other.status == "RUNNING"
    received = Counter(rcpt for m in smtp_server.messages for rcpt in m.rcpt_tos)
    already = {d.email for d in done}
    assert received == {a: 1 for a in addresses if a not in already}
    post.refresh_from_db()
    assert post.status == PostStatus.SENT
    assert post.deliveries.filter(status=DeliveryStatus.SENT).count() == 4


# --- a locked database ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_locked_database(
    database_tasks, smtp_server, public_list, db_vendor, caplog
) -> None:
    if db_vendor != "sqlite":
        pytest.skip("'database is locked' is SQLite's")
    caplog.set_level(logging.WARNING, logger="uprhub.worker")
    addresses = subscribe_many(public_list, 3)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    # Another connection (an import, say) holds the write lock for a moment.
    other = sqlite3.connect(
        connection.settings_dict["NAME"], uri=True, isolation_level=None, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM django_session")
    release = threading.Timer(0.8, lambda: other.execute("ROLLBACK"))
    release.start()
    try:
        run_worker()  # the library's own worker dies here with OperationalError
    finally:
        release.join()
        other.close()
    assert "locked" in caplog.text
    assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == sorted(addresses)
    post.refresh_from_db()
    assert post.status == PostStatus.SENT


# --- what the coordinator sees ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_post_page_shows_the_real_sending_state(
    database_tasks, smtp_server, public_list, client
) -> None:
    from django_tasks_db.models import DBTaskResult

    subscribe_many(public_list, 3)
    post = PostFactory(mailing_list=public_list)
    client.force_login(make_user("coordinator"))
    response = client.post(reverse("mailinglists:send", args=[post.pk]))
    assert response.status_code == 302
    page = client.get(reverse("mailinglists:preview", args=[post.pk])).content.decode()
    assert 'data-sending-state="waiting"' in page
    assert "Waiting for the worker since" in page and "(0 of 3 sent)" in page
    log = client.get(reverse("mailinglists:deliveries", args=[post.pk])).content.decode()
    assert "Waiting for the worker since" in log

    DBTaskResult.objects.update(status="RUNNING")  # a worker picked it up
    page = client.get(reverse("mailinglists:preview", args=[post.pk])).content.decode()
    assert "Sending: 0 of 3." in page and "Waiting for the worker" not in page

    DBTaskResult.objects.update(status="READY")
    run_worker()
    page = client.get(reverse("mailinglists:preview", args=[post.pk])).content.decode()
    assert 'data-sending-state="sent"' in page
    assert "Sent: 3 of 3 delivered, 0 failed." in page
    assert len(smtp_server.messages) == 3
