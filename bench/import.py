"""Benchmark: rows per second importing the bundled UPR Info CSV into an empty database.

    .venv/bin/python bench/import.py                      # a fresh temporary SQLite file
    .venv/bin/python bench/import.py --database-url postgres://postgres@127.0.0.1:5432/postgres

With a PostgreSQL URL a temporary database is created on that server (the URL's database is
only used to connect) and dropped afterwards. The database is migrated and the reference data
(States, sessions) loaded first; only the import itself is timed. Prints one JSON object:
{"rows", "recommendations", "seconds", "rows_per_second", "database", ...}. Target: ≥ 3,000
rows/s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _postgres_scratch(url: str) -> tuple[str, str]:
    """Create an empty database next to the one in ``url``; return (its URL, its name)."""
    import psycopg

    name = f"uprhub_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}")), name


def _postgres_drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server to benchmark (default: SQLite)")
    parser.add_argument("--repeat", type=int, default=1, help="also time N-1 re-imports")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="uprhub-bench-")
    pg_name = None
    if args.database_url and args.database_url.startswith(("postgres://", "postgresql://")):
        database_url, pg_name = _postgres_scratch(args.database_url)
    elif args.database_url:
        database_url = args.database_url
    else:
        database_url = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ["UPRHUB_DATA_DIR"] = scratch.name
    os.environ["UPRHUB_AUTOLOAD"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from uprhub.recommendations.importers.bundled import bundled_path
        from uprhub.recommendations.importers.reference import load_reference_data
        from uprhub.recommendations.importers.uprinfo import import_uprinfo
        from uprhub.recommendations.models import Recommendation

        call_command("migrate", interactive=False, verbosity=0)
        load_reference_data()
        path = bundled_path("uprinfo/recommendations-sessions-01-17.csv")

        started = time.perf_counter()
        summary = import_uprinfo(path)
        seconds = time.perf_counter() - started
        result = {
            "file": path.name,
            "database": connection.vendor,
            "rows": summary.rows,
            "recommendations": Recommendation.objects.count(),
            "seconds": round(seconds, 3),
            "rows_per_second": round(summary.rows / seconds),
        }
        reimports = []
        for _ in range(max(args.repeat - 1, 0)):
            started = time.perf_counter()
            again = import_uprinfo(path)
            reimports.append(round(time.perf_counter() - started, 3))
            assert again.created == again.updated == 0
        if reimports:
            result["reimport_seconds"] = reimports
        connection.close()
    finally:
        if pg_name:
            _postgres_drop(args.database_url, pg_name)
        scratch.cleanup()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
