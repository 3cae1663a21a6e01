"""SQLite, with each process's write transactions waiting their turn in a queue.

SQLite lets one writer at a time; a connection that finds the file locked polls with growing
sleeps (1, 2, 5 … 100 ms: SQLite's busy handler), so under many concurrent writers a waiting
thread often sleeps past the moment the lock was freed, and a newcomer takes it first. The
slowest requests then wait seconds for a write that takes a millisecond. Here the threads of
one process queue on a lock before `BEGIN IMMEDIATE` (waiting without the GIL, woken as soon
as the lock is free), so only one writer per process meets SQLite's busy handler. If the queue
does not move within the connection's timeout, the transaction goes ahead anyway and SQLite's
own timeout applies, as without the queue: never a wait forever.
"""

from __future__ import annotations

import os
import threading

from django.db.backends.sqlite3 import base

_writers = threading.Lock()


def _new_queue_after_fork() -> None:
    # A forked process (gunicorn's workers) starts with a queue of its own, free, even if the
    # parent was writing at the moment of the fork.
    global _writers
    _writers = threading.Lock()


os.register_at_fork(after_in_child=_new_queue_after_fork)


class DatabaseWrapper(base.DatabaseWrapper):
    _queued = False

    def _start_transaction_under_autocommit(self) -> None:
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        self._queue = _writers  # released to the lock it took, even across a fork
        self._queued = self._queue.acquire(timeout=timeout)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _leave_queue(self) -> None:
        if self._queued:
            self._queued = False
            self._queue.release()

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._leave_queue()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._leave_queue()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._leave_queue()
