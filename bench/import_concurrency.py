"""Benchmark: web writes while a 250,000-row import runs on SQLite.

    .venv/bin/python bench/import_concurrency.py                  # 250,000 rows, 8 writers
    .venv/bin/python bench/import_concurrency.py --rows 50000 --writers 4
    .venv/bin/python bench/import_concurrency.py --import-code /path/to/other/checkout

Builds a fresh SQLite database (WAL, the project's settings), a UPR Info-format CSV of
``--rows`` rows (the bundled export repeated, each copy's texts made distinct), then runs
``import_uprinfo`` in a subprocess while ``--writers`` threads, each with its own database
connection, do what the report editor does when someone adds a paragraph
(``reports.services.add_paragraph`` in a transaction), one every ``--pause`` seconds.
``--import-code`` runs the import with another checkout's code (e.g. the previous version,
to compare). Prints one JSON object: rows, import seconds, writes, errors (with the first
messages), p50 / p99 / max write latency during the import. Target: 0 errors, p99 ≤ 1 s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMPORTER = """
import json, os, sys, time
sys.path.insert(0, os.environ["BENCH_CODE"])
import django
django.setup()
from uprhub.recommendations.importers.uprinfo import import_uprinfo
started = time.perf_counter()
summary = import_uprinfo(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - started, "rows": summary.rows,
                  "created": summary.created}))
"""


def make_csv(path: Path, rows: int) -> int:
    """The bundled UPR Info export repeated until `rows` rows; each copy's texts differ."""
    from uprhub.recommendations.importers.bundled import bundled_path

    source = bundled_path("uprinfo/recommendations-sessions-01-17.csv")
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        body = list(reader)
    text = header.index("Text")
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        copy = 0
        while written < rows:
            for row in body:
                if written >= rows:
                    break
                if copy:
                    row = list(row)
                    row[text] = f"{row[text]} (variant {copy})"
                writer.writerow(row)
                written += 1
            copy += 1
    return written


def setup_writers(count: int) -> list[tuple[object, object]]:
    """A member with a report of `count` sections: one section per writer."""
    from django.contrib.auth import get_user_model

    from tests.accounts.factories import OrganisationFactory, make_user
    from uprhub.accounts.models import Membership
    from uprhub.reports import services
    from uprhub.reviews.models import Review

    user = get_user_model().objects.get(pk=make_user("member").pk)  # with its new role
    organisation = OrganisationFactory()
    Membership.objects.get_or_create(user=user, organisation=organisation)
    review = Review.objects.order_by("pk").first()
    report = services.create_report(
        actor=user, review=review, submission_type="individual", organisations=[organisation]
    )
    sections = [
        services.add_section(report, kind="follow_up", title=f"Writer {i}", actor=user)
        for i in range(count)
    ]
    return [(section, user) for section in sections]


def writer(section, user, stop: threading.Event, pause: float, out: dict) -> None:
    from django.db import connection, transaction

    from uprhub.reports import services

    latencies: list[float] = []
    errors: list[str] = []
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        try:
            with transaction.atomic():
                services.add_paragraph(
                    section, f"Paragraph {n} written during the import.", actor=user
                )
        except Exception as exc:  # noqa: BLE001 — every failure is what we count
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - started)
        stop.wait(pause)
    connection.close()
    out["latencies"] = latencies
    out["errors"] = errors


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between two writes")
    parser.add_argument("--import-code", default=str(ROOT), help="checkout whose importer runs")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="uprhub-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}/bench.sqlite3"
    os.environ["UPRHUB_DATA_DIR"] = scratch.name
    os.environ["UPRHUB_AUTOLOAD"] = "0"
    os.environ["UPRHUB_TASKS_BACKEND"] = "immediate"
    os.environ["UPRHUB_SUGGEST_ON_IMPORT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from uprhub.recommendations.importers.reference import load_reference_data

    call_command("migrate", interactive=False, verbosity=0)
    load_reference_data()
    csv_path = Path(scratch.name) / "uprinfo-big.csv"
    rows = make_csv(csv_path, args.rows)
    slots = setup_writers(args.writers)
    connection.close()

    stop = threading.Event()
    results: list[dict] = [{} for _ in slots]
    env = {**os.environ, "BENCH_CODE": args.import_code}
    started = time.perf_counter()
    importer = subprocess.Popen(  # noqa: S603 — our interpreter, our script
        [sys.executable, "-c", IMPORTER, str(csv_path)],
        env=env,
        cwd=args.import_code,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    threads = [
        threading.Thread(target=writer, args=(section, user, stop, args.pause, out))
        for (section, user), out in zip(slots, results, strict=True)
    ]
    for thread in threads:
        thread.start()
    out, err = importer.communicate()
    wall = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()

    latencies = [x for r in results for x in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    try:
        imported = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        imported = {"error": err.strip().splitlines()[-1] if err.strip() else "no output"}
    print(
        json.dumps(
            {
                "rows": rows,
                "import": imported,
                "import_wall_seconds": round(wall, 1),
                "import_code": args.import_code,
                "writers": args.writers,
                "writes": len(latencies),
                "errors": len(errors),
                "first_errors": sorted(set(errors))[:3],
                "write_p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else 0,
                "write_p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "write_max_ms": round(max(latencies, default=0) * 1000, 1),
                "target": "0 errors, p99 <= 1000 ms",
            },
            indent=2,
        )
    )
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
