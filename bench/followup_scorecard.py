"""How fast the public scorecard is for a State's whole cycle; prints JSON.

    .venv/bin/python bench/followup_scorecard.py                  # SQLite, a fresh file
    .venv/bin/python bench/followup_scorecard.py --database-url postgres://postgres@127.0.0.1:5432/NAME

Loads the reference data and the bundled US 3rd-cycle recommendations (347), then makes two
rounds on them (the HRC's A–E scale): "bench-2022" with a published position for every
recommendation (grades varied, one or two evidence items each, three organisations'
assessments on every fourth, some disagreeing, a State's claim on every tenth) and an earlier
"bench-2021" with published positions for half (so the page also compares rounds).

Then, through Django's test Client (the whole request: middleware, view, template; no
network), ``--requests`` times each: the scorecard page (first page of the list), a filtered
and sorted page, the embed page, the CSV and JSON downloads and a chart (SVG). The public-page
cache is off (``UPRHUB_PAGE_CACHE_SECONDS=0``; /followup/ is not cached anyway), so every
request renders the page. Each address is measured twice: "built" with the scorecard cache off
(``UPRHUB_SCORECARD_CACHE_SECONDS=0``: the scorecard built on every request, the worst case,
e.g. the first request after a publication) and "kept" with it on (the data version read,
the scorecard taken from the per-process cache). Reported per address: median and p95 in ms,
the number of SQL
queries of one request, the response size. Target (issue 15): the page for 347
recommendations ≤ 100 ms server time.

Measured on 6 December 2026, 30 requests each, the shared 2-CPU machine at load average ~2.3
(median ms, p95 ms; 347 recommendations, a 195 KB page, 12 queries built, 7 kept):

    address             SQLite built   kept      PostgreSQL built   kept
    page                  45.8  50.4   26.5 30.0        55.6  92.0  29.1 31.4
    page (filtered)       45.9  49.9   26.3 44.1        54.6  96.0  28.6 33.4
    embed                 23.9  25.3    8.2 10.5        35.9  53.0  11.3 16.2
    CSV                   28.5  30.1   15.5 16.2        45.6  62.0  18.6 20.0
    JSON                  28.0  33.0   13.5 25.3        42.2  59.2  16.0 19.7
    chart (themes, SVG)   25.5  26.5    9.9 10.3        33.1  38.2  12.7 14.3
    API figures           23.7  33.5    8.3 14.6        30.1  43.9  11.0 11.7

At load average 8-11 (other work on the machine) the same page took 106-300 ms of wall time
for 45-57 ms of CPU: the wall time then is mostly waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path

from _django import start_django

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100


def _setup(args: argparse.Namespace) -> None:
    os.environ["UPRHUB_PAGE_CACHE_SECONDS"] = "0"
    start_django(Path(args.workdir), args.database_url, "scorecard.sqlite3")
    from uprhub.recommendations.importers.bundled import bundled_path
    from uprhub.recommendations.importers.kinds import run_kind
    from uprhub.recommendations.importers.reference import load_reference_data
    from uprhub.recommendations.models import Recommendation

    if Recommendation.objects.for_state("USA").in_cycle(3).count() == 0:
        load_reference_data()
        run_kind("ohchr-csv", bundled_path("ohchr/usa-cycle3-recommendations.csv"))


def _make_rounds() -> int:
    """The two rounds (made again on every run); returns the number of recommendations."""
    from django.db import transaction

    from uprhub.accounts.models import Organisation
    from uprhub.followup.models import (
        Assessment,
        AssessmentRound,
        EvidenceItem,
        EvidenceKind,
        Grade,
        Position,
        PositionStatus,
        Scale,
        StateClaim,
    )
    from uprhub.recommendations.models import Recommendation

    recommendations = list(
        Recommendation.objects.for_state("USA").in_cycle(3).order_by("paragraph_sort", "id")
    )
    review = recommendations[0].review
    scale = Scale.objects.get(slug="hrc-follow-up")
    grades = list(Grade.objects.filter(scale=scale).order_by("order"))
    with transaction.atomic():
        AssessmentRound.objects.filter(slug__in=["bench-2022", "bench-2021"]).delete()
        StateClaim.objects.filter(document_symbol="BENCH/1").delete()
        organisations = [
            Organisation.objects.get_or_create(name=f"Bench organisation {n}")[0] for n in range(3)
        ]
        later = AssessmentRound.objects.create(
            review=review, name="Bench 2022", slug="bench-2022", scale=scale, as_of=date(2022, 6, 1)
        )
        earlier = AssessmentRound.objects.create(
            review=review, name="Bench 2021", slug="bench-2021", scale=scale, as_of=date(2021, 6, 1)
        )
        positions, olds, assessments, claims = [], [], [], []
        for n, rec in enumerate(recommendations):
            grade = grades[(n * 7) % len(grades)]
            positions.append(
                Position(
                    round=later,
                    recommendation=rec,
                    grade=grade,
                    rationale=f"Rationale {n}: what was done and what was not, with sources.",
                    as_of=later.as_of,
                    status=PositionStatus.PUBLISHED,
                )
            )
            if n % 2 == 0:
                olds.append(
                    Position(
                        round=earlier,
                        recommendation=rec,
                        grade=grades[(n * 3) % len(grades)],
                        as_of=earlier.as_of,
                        status=PositionStatus.PUBLISHED,
                    )
                )
            if n % 4 == 0:
                for k, organisation in enumerate(organisations):
                    assessments.append(
                        Assessment(
                            round=later,
                            recommendation=rec,
                            organisation=organisation,
                            grade=grades[(n * 7 + k * (n % 3 == 0)) % len(grades)],
                            rationale=f"{organisation.name} on {rec.paragraph}",
                            as_of=later.as_of,
                        )
                    )
            if n % 10 == 0:
                claims.append(
                    StateClaim(
                        recommendation=rec,
                        document_symbol="BENCH/1",
                        paragraph=str(n),
                        claim="implemented",
                        quote="The State says it implemented this recommendation.",
                    )
                )
        Position.objects.bulk_create(positions)
        Position.objects.bulk_create(olds)
        Assessment.objects.bulk_create(assessments)
        StateClaim.objects.bulk_create(claims)
        items = []
        for n, position in enumerate(Position.objects.filter(round=later)):
            for k in range(1 + n % 2):
                items.append(
                    EvidenceItem(
                        position=position,
                        kind=EvidenceKind.UN_DOCUMENT,
                        document_symbol=f"A/HRC/WG.6/50/USA/{2 + k}",
                        paragraph=10 + n % 80,
                        quote="A verbatim quote from the compilation of UN information. " * 3,
                        order=k,
                    )
                )
        EvidenceItem.objects.bulk_create(items)
    return len(recommendations)


def _time(client, path: str, requests: int) -> dict:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection

    # The Client's request signals would close the connection after each request (a server
    # keeps it open: CONN_MAX_AGE); reconnecting is not what is measured here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    response = client.get(path)  # warm: templates compiled, translations loaded
    assert response.status_code == 200, (path, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    cpu.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        # This process's CPU time (the database's too on SQLite, in-process): what the
        # request costs whatever else the shared machine is doing.
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "queries": len(queries),
        "bytes": len(body),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    _setup(args)
    total = _make_rounds()

    from django.db import connection
    from django.test import Client

    client = Client()
    base = "/followup/USA/3/"
    addresses = {
        "page": base,
        "page_filtered_sorted": base + "?bucket=not_implemented&sort=grade&page=2",
        "page_earlier_round": base + "?round=bench-2021",
        "embed": base + "embed/",
        "csv": base + "scorecard.csv",
        "json": base + "scorecard.json",
        "chart_themes_svg": base + "charts/themes.svg",
        "api_figures": "/api/followup/scorecards/USA/3",
    }
    from django.test import override_settings

    results = {}
    for mode, seconds in (("built", 0), ("kept", 300)):
        with override_settings(UPRHUB_SCORECARD_CACHE_SECONDS=seconds):
            results[mode] = {
                name: _time(client, path, args.requests) for name, path in addresses.items()
            }
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "recommendations": total,
                "requests": args.requests,
                "target_page_ms": TARGET_MS,
                "page_within_target": results["built"]["page"]["median_ms"] <= TARGET_MS,
                "load_average": [round(v, 1) for v in os.getloadavg()],
                "results": results,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
