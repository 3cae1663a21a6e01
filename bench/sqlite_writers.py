"""Concurrent writers on one SQLite file, as under `uprhub serve`: the wait for a write.

3 processes × 8 threads (gunicorn's default on 2 cores) for --seconds: each thread does some
Python work holding the GIL (a request's rendering, ~3-5 ms), then one short write transaction
(`transaction.atomic()`, an INSERT), and the time from entering the transaction to its commit is
recorded. Run with the project's SQLite backend (the per-process write queue of
uprhub/core/db/sqlite3) and with Django's own (--django-backend: SQLite's busy handler alone,
which polls with sleeps of up to 100 ms) to compare the tails. Prints JSON.

Local and bounded: a temporary file, stopped after --seconds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _process(data_dir: str, engine: str, seconds: float, threads: int, out) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["UPRHUB_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "uprhub.settings"
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["ENGINE"] = engine
    from django.db import connection, transaction

    waits: list[float] = []
    errors = [0]

    def thread() -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            x = 0
            for i in range(40_000):  # Python work holding the GIL
                x += i * i
            started = time.perf_counter()
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO t (v) VALUES (%s)", ["x" * 200])
            except Exception:  # noqa: BLE001 ("database is locked" counts as an error)
                errors[0] += 1
                continue
            waits.append(time.perf_counter() - started)
        connection.close()

    running = [threading.Thread(target=thread) for _ in range(threads)]
    for t in running:
        t.start()
    for t in running:
        t.join()
    out.put((waits, errors[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--django-backend", action="store_true", help="Django's SQLite backend, without the queue"
    )
    args = parser.parse_args()
    engine = "django.db.backends.sqlite3" if args.django_backend else "uprhub.core.db.sqlite3"
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "uprhub.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        db.commit()
        db.close()
        context = multiprocessing.get_context("spawn")
        out = context.Queue()
        processes = [
            context.Process(target=_process, args=(tmp, engine, args.seconds, args.threads, out))
            for _ in range(args.processes)
        ]
        for p in processes:
            p.start()
        results = [out.get() for _ in processes]
        for p in processes:
            p.join()
    waits = sorted(w for r in results for w in r[0])

    def pct(p: float) -> float:
        return round(waits[int(p * (len(waits) - 1))] * 1000, 1) if waits else 0.0

    print(
        json.dumps(
            {
                "backend": engine,
                "processes": args.processes,
                "threads": args.threads,
                "seconds": args.seconds,
                "writes": len(waits),
                "errors": sum(r[1] for r in results),
                "p50_ms": pct(0.50),
                "p95_ms": pct(0.95),
                "p99_ms": pct(0.99),
                "max_ms": round(waits[-1] * 1000, 1) if waits else 0.0,
                "cpus": os.cpu_count(),
                "load_average_1m": round(os.getloadavg()[0], 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
