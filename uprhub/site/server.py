"""The web server behind `uprhub serve`: gunicorn's pre-forked workers where the platform can
fork, waitress (one process, threads) where it cannot (Windows).

Gunicorn runs in-process (``BaseApplication``), so `uprhub serve` stays one command. The app is
loaded once in the master before forking (``preload_app``), and the facet index is loaded there
too: the workers share those pages copy-on-write instead of each holding its own copy.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Gunicorn needs fork (not on Windows), and is not installed there."""
    import importlib.util

    return hasattr(os, "fork") and importlib.util.find_spec("gunicorn") is not None


# Threads per process. Measured on 2 cores with 50 clients: bench/consultations.py (people
# giving testimony, every request a write) had p95 381 ms with 8 threads, 296 ms with 4 and
# 238 ms with 2 on SQLite (fewer writers queueing on its lock, less GIL contention), while
# bench/load.py (cached public pages) kept p99 ≤ 56 ms with any of them. 4 keeps requests in
# flight for slow pages (an uncached search takes ~0.5 s).
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One process per core, each with threads. On 2 cores with 50 clients, 2 processes × 4
    threads gave bench/consultations.py on PostgreSQL p95 255 ms where 3 × 4 gave 381 ms (the
    database's own processes need the cores too), SQLite 260–315 ms either way, and
    bench/load.py's cached pages the same throughput and p99 ≤ 47 ms; and each process is one
    more copy of the pages it caches."""
    return os.cpu_count() or 1


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _warm_up() -> None:
    """Load in the master what every worker needs, then drop the database connections: a
    connection must never be shared by forked processes."""
    from django.db import DatabaseError, connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every URLconf and view once)
    try:
        from uprhub.search import facets

        facets.get_index()
    except DatabaseError:  # pragma: no cover - prepare_database ran just before
        pass
    connections.close_all()


def run_gunicorn(
    application: Callable[..., Any],
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    on_ready: Callable[[], None],
) -> None:
    """Serve until stopped (SIGINT/SIGTERM: gunicorn stops the workers, then SystemExit)."""
    from gunicorn.app.base import BaseApplication

    def post_fork(server, worker) -> None:
        from django.db import connections

        connections.close_all()

    options = {
        "bind": [_bind(host, port)],
        "workers": max(1, workers),
        # Threads keep a worker's heartbeat going during a long request (a big export) and
        # serve keep-alive connections; with one thread, plain synchronous workers.
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": max(1, threads),
        "preload_app": True,
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        "backlog": 2048,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "uprhub",
        "when_ready": lambda server: on_ready(),
        "post_fork": post_fork,
    }

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Callable[..., Any]:
            _warm_up()
            return application

    _Gunicorn().run()


def run_waitress(
    application: Callable[..., Any],
    *,
    host: str,
    port: int,
    threads: int,
    on_ready: Callable[[], None],
) -> None:
    """One process with threads: for platforms without fork (Windows)."""
    import contextlib

    from waitress import create_server

    # Bind before announcing the URL, so whoever reads it can connect at once.
    server = create_server(application, host=host, port=port, threads=threads, ident="UPR Hub")
    on_ready()
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
