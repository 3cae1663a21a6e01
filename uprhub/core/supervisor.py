"""Keep the background worker alive beside the web server.

`uprhub serve` starts `WorkerSupervisor` (``start()`` runs a small watcher thread;
``stop()`` ends it and the worker). Each ``poll()`` checks the child: when it has died it is
started again after a wait that doubles with each quick death (``base_delay``, capped at
``max_delay``) and drops back to ``base_delay`` once a worker has lived ``healthy_after``
seconds. Every exit and restart is logged (logger ``uprhub.supervisor``).

Nothing here knows what the child does; the new worker resumes tasks its predecessor left
RUNNING (`uprhub.core.worker`).
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

log = logging.getLogger("uprhub.supervisor")

WORKER_COMMAND = (sys.executable, "-m", "uprhub.cli", "worker")


class WorkerSupervisor:
    def __init__(
        self,
        command: Sequence[str] = WORKER_COMMAND,
        *,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
        check_every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = list(command)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.check_every = check_every
        self.clock = clock
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.next_delay = base_delay
        self._started_at = 0.0
        self._restart_at: float | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def _spawn(self) -> None:
        self.process = subprocess.Popen(self.command)  # noqa: S603 — our own fixed command
        self._started_at = self.clock()
        self._restart_at = None
        log.info("Background worker started (pid %s)", self.process.pid)

    def start(self, *, watch: bool = True) -> None:
        """Start the worker; with `watch`, a daemon thread calls `poll()` every second."""
        with self._lock:
            self._spawn()
        if watch:
            self._thread = threading.Thread(
                target=self._watch, name="worker-supervisor", daemon=True
            )
            self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.wait(self.check_every):
            try:
                self.poll()
            except Exception:  # the watcher must outlive any one failure  # noqa: BLE001
                log.exception("Worker supervision failed; trying again")

    def poll(self) -> str:
        """One check: 'running', 'waiting' (to restart), 'restarted' or 'stopped'."""
        with self._lock:
            if self._stopping.is_set():
                return "stopped"
            now = self.clock()
            if self.process is not None:
                code = self.process.poll()
                if code is None:
                    return "running"
                lived = now - self._started_at
                if lived >= self.healthy_after:
                    self.next_delay = self.base_delay
                log.error(
                    "Background worker (pid %s) exited with status %s after %.0f s; "
                    "restarting in %.1f s",
                    self.process.pid,
                    code,
                    lived,
                    self.next_delay,
                )
                self.process = None
                self._restart_at = now + self.next_delay
                self.next_delay = min(self.next_delay * 2, self.max_delay)
            if self._restart_at is not None and now >= self._restart_at:
                self._spawn()
                self.restarts += 1
                return "restarted"
            return "waiting"

    def stop(self, timeout: float = 10.0) -> None:
        """Stop watching, then ask the worker to stop (SIGTERM), killing it after `timeout`."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=self.check_every + 1)
        with self._lock:
            process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=timeout)
