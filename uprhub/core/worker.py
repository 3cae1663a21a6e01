"""The background worker (`uprhub worker`): django-tasks-db's worker, made to survive.

What it adds to the library's `Worker`:

* **Work left by a dead worker is resumed at start.** django-tasks-db marks a task RUNNING
  with the worker's id and has no way back if that process dies. Our ids say where the
  worker runs (``host:pid:token``); at start, a RUNNING task whose worker was on this host
  and is no longer alive — or, for another host or a foreign id, one started more than
  `STALE_AFTER` ago — is put back to READY. Tasks are written to be re-run safely: list
  mail keeps a per-recipient delivery log and never sends a row marked sent
  (`mailinglists.delivery`), reminders are recorded once each.
* **"database is locked" does not kill it.** On SQLite a long write elsewhere (an import,
  a backup) can hold the lock longer than the busy timeout. Such an error while looking
  for work, or while saving a task's outcome, is retried with doubling waits (capped); a
  task that itself failed on the lock is queued again for later instead of marked failed.

`uprhub serve` runs this under `uprhub.core.supervisor.WorkerSupervisor`, which restarts
the process when it dies.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import OperationalError, close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

log = logging.getLogger("uprhub.worker")

#: A RUNNING task whose worker we cannot check (another host) is taken back after this.
STALE_AFTER = timedelta(hours=1)
#: First and longest wait when the database is locked.
LOCK_RETRY_FIRST = 0.2
LOCK_RETRY_MAX = 30.0
#: Times a task that failed on a locked database is queued again before it counts as failed.
MAX_LOCKED_REQUEUES = 8


def make_worker_id() -> str:
    """``host:pid:token``, at most 64 characters (the library's limit)."""
    host = socket.gethostname()[:30]
    return f"{host}:{os.getpid()}:{get_random_string(8)}"


def _parse_worker_id(worker_id: str) -> tuple[str, int] | None:
    parts = worker_id.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def _process_alive(pid: int) -> bool:
    """Is a worker process with this pid running here? (A reused pid is not a worker.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.exists():
        try:
            # Empty for a zombie; otherwise it must be some worker command.
            return b"worker" in cmdline.read_bytes()
        except OSError:
            return False
    return True


def worker_gone(worker_id: str, started_at: Any, *, me: str = "") -> bool:
    """Whether the worker that claimed a task can no longer finish it."""
    parsed = _parse_worker_id(worker_id)
    if parsed is not None and parsed[0] == socket.gethostname()[:30]:
        if worker_id == me:
            return False
        return parsed[1] == os.getpid() or not _process_alive(parsed[1])
    # Another host, or an id we did not write: only age can tell.
    return started_at is None or started_at < timezone.now() - STALE_AFTER


def resume_orphaned_tasks(backend_name: str, *, me: str = "") -> list[str]:
    """Put RUNNING tasks of dead workers back to READY; return their ids."""
    resumed: list[str] = []
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for result in running.only("id", "worker_ids", "started_at"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        if not worker_gone(last, result.started_at, me=me):
            continue
        updated = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        if updated:
            resumed.append(str(result.pk))
            log.warning("Resuming task %s left running by worker %s", result.pk, last or "?")
    return resumed


def retry_locked[T](
    action: Callable[[], T],
    *,
    first: float = LOCK_RETRY_FIRST,
    cap: float = LOCK_RETRY_MAX,
    keep_going: Callable[[], bool] = lambda: True,
) -> T:
    """Run `action`; while it fails on a locked database, wait (doubling, capped) and retry.

    Stops retrying, and raises, once `keep_going()` is false (the worker is shutting down).
    """
    delay = first
    while True:
        try:
            return action()
        except OperationalError as exc:
            if not is_locked_database_exception(exc) or not keep_going():
                raise
            log.warning("Database is locked (%s); retrying in %.1f s", exc, delay)
            close_old_connections()
            time.sleep(delay)
            delay = min(delay * 2, cap)


def _requeue(result: DBTaskResult, attempts: int) -> None:
    """Back to READY, due after a wait that doubles with each attempt (at most 5 minutes)."""
    result.status = TaskResultStatus.READY
    result.started_at = None
    result.run_after = timezone.now() + timedelta(seconds=min(2**attempts, 300))
    result.save(update_fields=["status", "started_at", "run_after"])


def _sweep_outbox() -> None:
    """At start, queue one run over the e-mail outbox: messages whose own task was lost (a
    database restored, a task deleted) are still sent. Sending twice is not possible."""
    from uprhub.core.outbox import deliver_outbox

    deliver_outbox.enqueue()


class ResilientWorker(Worker):
    """django-tasks-db's worker that resumes orphans and rides out a locked database."""

    lock_retry_first = LOCK_RETRY_FIRST
    lock_retry_max = LOCK_RETRY_MAX

    def _retry[T](self, action: Callable[[], T]) -> T:
        return retry_locked(
            action,
            first=self.lock_retry_first,
            cap=self.lock_retry_max,
            keep_going=lambda: self.running,
        )

    def run(self) -> None:
        resumed = self._retry(lambda: resume_orphaned_tasks(self.backend_name, me=self.worker_id))
        if resumed:
            log.warning("Resumed %d task(s) left running by a dead worker", len(resumed))
        self._retry(_sweep_outbox)
        delay = self.lock_retry_first
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                # Raised outside the library's own guard, e.g. when BEGIN cannot get the lock.
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                log.warning("Database is locked (%s); the worker waits %.1f s", exc, delay)
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, self.lock_retry_max)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """The library's `run_task`, with locked-database retries around every write."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except OperationalError as exc:
                attempts = len(db_task_result.worker_ids)
                if not is_locked_database_exception(exc) or attempts > MAX_LOCKED_REQUEUES:
                    raise
                log.warning("Task %s hit a locked database; queued again", db_task_result.id)
                self._retry(lambda: _requeue(db_task_result, attempts))
                return
            self._retry(lambda: db_task_result.set_successful(value))
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except BaseException as exc:
            if db_task_result.status == TaskResultStatus.READY:
                raise  # requeued above; the error came after (e.g. shutting down)
            error = exc
            self._retry(lambda: db_task_result.set_failed(error))
            try:
                sender = type(db_task_result.task.get_backend())
                finished = db_task_result.task_result
            except Exception:  # noqa: BLE001 — as the library: log, keep the worker alive
                log.exception("Task id=%s failed unexpectedly", db_task_result.id)
            else:
                task_finished.send(sender=sender, task_result=finished)
        finally:
            self.running_task = False
            self._run_tasks += 1
