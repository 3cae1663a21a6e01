"""How well search understands advocates: recall on a labelled set of queries; prints JSON.

    .venv/bin/python bench/search_quality.py                      # SQLite, a fresh file
    .venv/bin/python bench/search_quality.py --database-url postgres://postgres@127.0.0.1:5432/NAME

The queries (English, Spanish, French) and what each should find are in
``tests/search/data/advocate_queries.json``: the recommendations labelled with given UPR Info
issues in the bundled data, which is loaded first (a fresh SQLite file under ``--workdir``; on
PostgreSQL the named database is migrated and loaded unless it already holds the bundled data).

For each query, through ``service.iter_ids`` (what exports use: every match, best first):

* ``recall``: the share of the labelled recommendations found;
* ``precision_at_20``: the share of the first 20 results that carry one of the labels;
* ``total``: how many recommendations the query finds (0 = a dead end).

Summaries: mean recall and precision@20 overall and per language, the number of queries finding
nothing, the five queries issue 13 reported, and the median time per query. Runs against
whatever code is in this checkout, so the same file measures a branch and its base.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from _django import load_bundled, start_django

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests/search/data/advocate_queries.json"
FIRST = 20


def _setup(args: argparse.Namespace) -> None:
    start_django(Path(args.workdir), args.database_url, "quality.sqlite3")
    load_bundled()


def measure() -> dict:
    from django.db import connection

    from uprhub.recommendations.models import Recommendation
    from uprhub.search import service
    from uprhub.search.types import SearchQuery

    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    rows: list[dict] = []
    times: list[float] = []
    for item in queries:
        relevant = set(
            Recommendation.objects.filter(labels__theme__name__in=item["themes"]).values_list(
                "id", flat=True
            )
        )
        service.clear_caches()
        service.search(SearchQuery())  # load the facet index outside the timing
        started = time.perf_counter()
        result = service.search(SearchQuery(text=item["q"]))
        times.append((time.perf_counter() - started) * 1000)
        ids = list(service.iter_ids(SearchQuery(text=item["q"])))
        found = relevant.intersection(ids)
        first = ids[:FIRST]
        rows.append(
            {
                "q": item["q"],
                "lang": item["lang"],
                "themes": item["themes"],
                "issue13": bool(item.get("issue13")),
                "total": result.total,
                "relevant": len(relevant),
                "recall": round(len(found) / len(relevant), 3) if relevant else None,
                "precision_at_20": round(sum(i in relevant for i in first) / len(first), 3)
                if first
                else 0.0,
            }
        )

    def summary(subset: list[dict]) -> dict:
        scored = [r for r in subset if r["recall"] is not None]
        return {
            "queries": len(subset),
            "recall": round(statistics.fmean(r["recall"] for r in scored), 3) if scored else None,
            "precision_at_20": round(statistics.fmean(r["precision_at_20"] for r in subset), 3),
            "no_result": sum(1 for r in subset if r["total"] == 0),
        }

    return {
        "vendor": connection.vendor,
        "recommendations": Recommendation.objects.count(),
        "overall": summary(rows),
        "by_language": {
            lang: summary([r for r in rows if r["lang"] == lang]) for lang in ("en", "es", "fr")
        },
        "issue13": {r["q"]: r["total"] for r in rows if r["issue13"]},
        "search_ms_p50": round(statistics.median(times), 2),
        "queries": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL database to use (default: SQLite)")
    parser.add_argument("--workdir", default="/tmp/uprhub-search-quality")
    parser.add_argument("--summary", action="store_true", help="leave out the per-query rows")
    args = parser.parse_args()
    _setup(args)
    out = measure()
    if args.summary:
        out.pop("queries")
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
