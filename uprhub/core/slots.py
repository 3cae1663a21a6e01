"""A few slots for heavy work, shared by every thread and process of one installation.

Full exports (and, later, other long requests) must not occupy every server thread or process:
each takes one of ``count`` slots, and when none is free the request is answered at once
("busy, try again") instead of queueing. A slot is an exclusive ``flock`` on one of ``count``
small files in ``$UPRHUB_DATA_DIR/locks/``:

* it works across processes (a multi-process server, the CLI) and across threads (each
  acquisition opens its own file description, and flock locks conflict between those);
* the kernel releases it when the holder dies, so a crashed worker never leaks a slot;
* no server, cache or table is needed (the data directory is local to the machine; on a
  cluster of several machines each machine has its own slots).
"""

from __future__ import annotations

import fcntl
import os
import random
import threading
from pathlib import Path

from django.conf import settings


class Slot:
    """A held slot; release() (or leaving the ``with`` block) frees it. Idempotent."""

    def __init__(self, fd: int, number: int) -> None:
        self._fd: int | None = fd
        self.number = number
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten slot is freed with its object
        self.release()


class Group:
    """Several slots held and released together."""

    def __init__(self, *held: Slot) -> None:
        self._held = held

    def release(self) -> None:
        for slot in self._held:
            slot.release()


def _directory() -> Path:
    path = Path(settings.DATA_DIR) / "locks"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def try_acquire(kind: str, count: int) -> Slot | None:
    """One of ``count`` slots named ``kind``, or None at once if all are taken."""
    directory = _directory()
    numbers = list(range(max(count, 0)))
    random.shuffle(numbers)  # noqa: S311 - spreading, not security
    for number in numbers:
        fd = os.open(directory / f"{kind}-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return Slot(fd, number)
    return None


def busy(kind: str, count: int) -> int:
    """How many of the ``count`` slots are taken right now (for status pages and tests)."""
    taken = 0
    for number in range(count):
        slot_fd = os.open(_directory() / f"{kind}-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(slot_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(slot_fd, fcntl.LOCK_UN)
        except BlockingIOError:
            taken += 1
        finally:
            os.close(slot_fd)
    return taken
