"""Benchmark the search layer on SQLite and PostgreSQL; prints one JSON object.

    .venv/bin/python bench/search.py                 # 1,000,000 synthetic rows, both databases
    .venv/bin/python bench/search.py --quick         # 100,000
    .venv/bin/python bench/search.py --db sqlite --size 300000

For each database, in a fresh database of its own (SQLite: a file under ``--workdir``;
PostgreSQL: ``uprhub_bench`` on 127.0.0.1:5432 as ``postgres``, created and dropped here):

(a) the bundled UPR Info data, (b) ``--size`` synthetic recommendations generated from the real
texts (words swapped, States, sessions, positions, recommenders and themes varied), bulk-loaded
with executemany / COPY, not the ORM. Measured, p50/p95 in ms:

* ``keyword_facets``: keyword + two facet filters with all facet counts, through ``search()``,
  as a user would run them (keywords recur, so some full-text matches come from the cache);
* ``keyword_facets_uncached``: the same with the match cache emptied before every run;
* ``browse_facets``: no keyword, two facet filters, through ``search()``; ``browse_all``: nothing;
* ``engine_floor``: the engine alone, relevance-ranked top 20 for the same keyword
  (FTS5 ``ORDER BY rank``; PostgreSQL ``ORDER BY ts_rank``);
* ``naive_orm``: ``text__icontains`` per word + the filters + ``values(f).annotate(Count)`` for
  every facet + the first page, through the ORM (fewer runs at scale: each takes seconds);

plus the ratios to the floor and the naive ORM, the facet index's cold-load time and memory.
Each database runs in a child process so settings and memory figures do not mix.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DSN = "postgres://postgres@127.0.0.1:5432/{name}"
PG_BENCH_DB = "uprhub_bench"
# Typical searches: at 1M synthetic rows they match ~3,000-40,000 recommendations ("death
# penalty" ~26,000, like the issue's yardstick).
KEYWORDS = [
    "death penalty",
    "torture",
    "trafficking",
    "freedom of expression",
    "domestic violence",
    "indigenous peoples",
    "migrants",
    "journalists",
    "juvenile justice",
    "disabilities",
    "human rights defenders",
    "birth registration",
]
# Words in 8-12% of all rows: reported separately, since ranking every match is the floor.
BROAD_KEYWORDS = ["women", "children"]
FACET_CHOICES = [
    "region",
    "cycle",
    "position",
    "action_category",
    "recommending_region",
    "session",
    "theme",
    "state",
    "recommending_state",
]


# --- the parent: one child process per database ------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 synthetic rows")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--workdir", default="/tmp/uprhub-bench")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        args.size = 100_000
    if args.worker:
        print(json.dumps(run_worker(args)))
        return
    started = time.perf_counter()
    out: dict = {"size": args.size, "runs": args.runs, "databases": {}}
    for vendor in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
        if vendor == "postgresql" and not _pg_reachable():
            out["databases"][vendor] = {"skipped": "PostgreSQL unreachable on 127.0.0.1:5432"}
            continue
        cmd = [sys.executable, __file__, "--worker", vendor, "--size", str(args.size)]
        cmd += ["--runs", str(args.runs), "--workdir", args.workdir]
        cmd += ["--keep"] if args.keep else []
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        if proc.returncode != 0:
            out["databases"][vendor] = {"error": proc.stderr[-3000:]}
            continue
        out["databases"][vendor] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["total_seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out, indent=2))


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_DSN.format(name="postgres"), connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return False


# --- the child: set up Django on a fresh database, load, measure -------------------------------


def _setup_django(vendor: str, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        path = workdir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # a fresh database every run
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(PG_DSN.format(name="postgres"), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        os.environ["DATABASE_URL"] = PG_DSN.format(name=PG_BENCH_DB)
    os.environ["UPRHUB_AUTOLOAD"] = "0"
    os.environ["UPRHUB_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _drop_pg_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(PG_DSN.format(name="postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")


def run_worker(args: argparse.Namespace) -> dict:
    vendor = args.worker
    _setup_django(vendor, Path(args.workdir))
    from django.db import connection

    result: dict = {"vendor": vendor}
    if vendor == "sqlite":
        import sqlite3

        result["sqlite_version"] = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["server_version"] = cursor.fetchone()[0]
    try:
        started = time.perf_counter()
        source = load_bundled()
        result["bundled"] = {"load_seconds": round(time.perf_counter() - started, 1), **source}
        result["bundled"].update(measure(args.runs, naive_runs=args.runs))
        started = time.perf_counter()
        generated = load_synthetic(args.size)
        result["synthetic"] = {
            "load_seconds": round(time.perf_counter() - started, 1),
            **generated,
        }
        result["synthetic"].update(measure(args.runs, naive_runs=None))
    finally:
        if vendor == "postgresql" and not args.keep:
            _drop_pg_database()
    return result


# --- data -----------------------------------------------------------------------------------------

UPRINFO_CSV = (
    ROOT / "uprhub/recommendations/data/bundled/uprinfo/recommendations-sessions-01-17.csv"
)


def load_bundled() -> dict:
    """The real data: the project's bundled loader when present, else a minimal one of our own."""
    from uprhub.recommendations.models import Recommendation

    try:
        from uprhub.recommendations.importers.bundled import load_bundled_data
    except ImportError:
        _load_uprinfo_minimal()
        loader = "bench minimal UPR Info loader"
    else:
        load_bundled_data()
        loader = "uprhub.recommendations.importers.bundled.load_bundled_data"
    return {"loader": loader, "recommendations": Recommendation.objects.count()}


def _load_uprinfo_minimal() -> None:
    """UPR Info's 33,082 rows → States, sessions, reviews, recommendations, recommenders, issues.

    Bulk-created in memory: the bench should measure search, not a row-by-row import.
    """
    from django.db import transaction

    from uprhub.recommendations.models import (
        Label,
        Position,
        Recommendation,
        RecommendingState,
        Theme,
        Vocabulary,
    )
    from uprhub.reviews.models import Review, State
    from uprhub.reviews.names import build_alias_index, resolve_state_code

    _ensure_reference_data()
    states = {s.code: s for s in State.objects.all()}
    alias = build_alias_index(_state_records())
    sessions = {s.number: s for s in _sessions()}
    vocabulary, _ = Vocabulary.objects.get_or_create(
        slug="uprinfo-issues", defaults={"name": "UPR Info issues", "kind": "issue"}
    )

    def state_for(name: str) -> State:
        code = resolve_state_code(name, alias) or "UNKNOWN"
        if code not in states:
            states[code] = State.objects.create(
                code=code, un_name=name, short_name=name[:120], kind="unknown"
            )
        return states[code]

    reviews: dict[tuple[str, int], Review] = {}
    recs: dict[tuple, Recommendation] = {}
    recommenders: dict[tuple, set[str]] = {}
    issues: dict[tuple, set[str]] = {}
    with UPRINFO_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            session = int(row["Session"])
            to = state_for(row["To"].strip())
            key = (to.code, session)
            if key not in reviews:
                reviews[key] = Review(state=to, session=sessions[session])
            text = row["Text"].strip()
            rec_key = (key, text)
            if rec_key not in recs:
                recs[rec_key] = Recommendation(
                    text=text,
                    text_key=hashlib.sha1(text.encode()).hexdigest(),
                    position=Position.SUPPORTED
                    if row["Response"].strip() == "Accepted"
                    else Position.NOTED,
                    action_category=int(row["Action"]) if row["Action"].strip() else None,
                )
            recommenders.setdefault(rec_key, set()).add(state_for(row["From"].strip()).code)
            issues.setdefault(rec_key, set()).update(
                filter(None, (i.strip() for i in row["Issue"].split(",")))
            )
    with transaction.atomic():
        for review in reviews.values():
            review.save()  # fills in the document symbols
        for (key, _text), rec in recs.items():
            rec.review = reviews[key]
        Recommendation.objects.bulk_create(recs.values(), batch_size=2000)
        names = sorted(set().union(*issues.values()))
        Theme.objects.bulk_create(
            [Theme(vocabulary=vocabulary, name=n) for n in names], ignore_conflicts=True
        )
        themes = {t.name: t for t in Theme.objects.filter(vocabulary=vocabulary)}
        RecommendingState.objects.bulk_create(
            [
                RecommendingState(recommendation=recs[k], state=states[code])
                for k, codes in recommenders.items()
                for code in codes
            ],
            batch_size=5000,
        )
        Label.objects.bulk_create(
            [
                Label(recommendation=recs[k], theme=themes[name])
                for k, names in issues.items()
                for name in names
            ],
            batch_size=5000,
        )


def _state_records():
    from uprhub.reviews.names import load_state_records

    return load_state_records()


def _ensure_reference_data() -> None:
    """States (from the shipped CSV), cycles and sessions, if the loader did not make them."""
    import datetime as dt

    from uprhub.reviews.models import Cycle, Session, State

    if not State.objects.exists():
        State.objects.bulk_create(
            State(
                code=r.code,
                iso3=r.iso3,
                un_name=r.un_name,
                short_name=r.short_name or r.un_name,
                regional_group=r.regional_group,
                kind=r.kind,
            )
            for r in _state_records()
        )
    if not Session.objects.exists():
        path = ROOT / "uprhub/reviews/data/sessions.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                cycle, _ = Cycle.objects.get_or_create(number=int(row["cycle"]))
                Session.objects.create(
                    number=int(row["number"]),
                    cycle=cycle,
                    start_date=dt.date.fromisoformat(row["start_date"]),
                )


def _sessions():
    from uprhub.reviews.models import Session

    return Session.objects.all()


def load_synthetic(size: int) -> dict:
    """Replace all recommendations with ``size`` synthetic ones derived from the real texts."""
    import datetime as dt

    from django.db import connection

    from uprhub.recommendations.models import Recommendation, Theme, Vocabulary
    from uprhub.reviews.models import Review, Session, State
    from uprhub.search import index

    rng = random.Random(20260501)
    texts = list(dict.fromkeys(Recommendation.objects.values_list("text", flat=True)))
    words = sorted({w for t in texts for w in re.findall(r"[A-Za-z]{4,}", t)})
    states = list(State.objects.filter(kind="member").values_list("id", "regional_group"))
    state_ids = [s[0] for s in states]
    sessions = list(Session.objects.values_list("number", "cycle_id", "start_date"))
    vocabulary = Vocabulary.objects.get(slug="uprinfo-issues")
    theme_ids = list(Theme.objects.filter(vocabulary=vocabulary).values_list("id", flat=True))

    # The real rows stay (other apps may point at them); synthetic ones make up the total.
    first_id = (
        Recommendation.objects.order_by("-id").values_list("id", flat=True).first() or 0
    ) + 1
    count = max(0, size - Recommendation.objects.count())
    t0 = time.perf_counter()
    # Every State reviewed once per cycle, in one of that cycle's sessions.
    cycles: dict[int, list] = {}
    for number, cycle, start in sessions:
        cycles.setdefault(cycle, []).append((number, start))
    existing = set(Review.objects.values_list("state_id", "session_id"))
    new_reviews = []
    for state_id in state_ids:
        for cycle_sessions in cycles.values():
            number, start = rng.choice(cycle_sessions)
            if (state_id, number) not in existing:
                existing.add((state_id, number))
                day = start + dt.timedelta(days=rng.randrange(10)) if start else None
                new_reviews.append(Review(state_id=state_id, session_id=number, review_date=day))
    Review.objects.bulk_create(new_reviews, batch_size=1000)
    review_ids = list(Review.objects.values_list("id", flat=True))

    positions = ["supported"] * 6 + ["noted"] * 3 + ["supported_in_part", "pending"]
    now = dt.datetime.now(dt.UTC).isoformat()

    def recommendations():
        for i in range(first_id, first_id + count):
            tokens = rng.choice(texts).split()
            for _ in range(rng.randrange(4)):  # swap up to three words
                tokens[rng.randrange(len(tokens))] = rng.choice(words)
            text = " ".join(tokens)
            major, minor = rng.randrange(80, 160), rng.randrange(1, 400)
            action = rng.randrange(6) or None
            yield (
                i,
                rng.choice(review_ids),
                f"{major}.{minor}",
                major * 1_000_000 + minor,
                text,
                f"{i:040x}",
                rng.choice(positions),
                "",
                action,
                now,
                now,
            )

    rec_columns = (
        "id, review_id, paragraph, paragraph_sort, text, text_key, position,"
        " position_as_published, action_category, created_at, updated_at"
    )
    links_rs, links_label = [], []
    for i in range(first_id, first_id + count):
        for state_id in rng.sample(state_ids, rng.choice((1, 1, 1, 2, 3))):
            links_rs.append((i, state_id, ""))
        for theme_id in rng.sample(theme_ids, rng.choice((0, 1, 1, 2, 3))):
            links_label.append((i, theme_id, now))
    _bulk_insert(connection, rec_columns, recommendations(), links_rs, links_label)
    load = time.perf_counter() - t0
    t1 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
    index.ensure_structures(connection)  # re-creates the triggers and full-text index we dropped
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "recommendations": Recommendation.objects.count(),
        "synthetic": count,
        "synthetic_recommending_states": len(links_rs),
        "synthetic_labels": len(links_label),
        "insert_seconds": round(load, 1),
        "index_build_seconds": round(time.perf_counter() - t1, 1),
    }


def _bulk_insert(connection, rec_columns: str, recs, links_rs: list, links_label: list) -> None:
    """Raw bulk load with the search triggers and indexes dropped (re-created afterwards)."""
    from uprhub.search import index

    index.drop_structures(connection)
    rs_cols = "recommendation_id, state_id, name_as_published"
    label_cols = "recommendation_id, theme_id, created_at"
    if connection.vendor == "sqlite":
        ph = ", ".join(["%s"] * 11)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB: random-order index inserts
            batch = []
            for row in recs:
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(
                        f"INSERT INTO recommendations_recommendation ({rec_columns}) VALUES ({ph})",
                        batch,
                    )
                    batch = []
            if batch:
                cursor.executemany(
                    f"INSERT INTO recommendations_recommendation ({rec_columns}) VALUES ({ph})",
                    batch,
                )
            cursor.executemany(
                f"INSERT INTO recommendations_recommendingstate ({rs_cols}) VALUES (%s, %s, %s)",
                links_rs,
            )
            cursor.executemany(
                f"INSERT INTO recommendations_label ({label_cols}) VALUES (%s, %s, %s)",
                links_label,
            )
            cursor.execute("PRAGMA synchronous=NORMAL")
        return
    raw = connection.connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY recommendations_recommendation ({rec_columns}) FROM STDIN") as cp:
            for row in recs:
                cp.write_row(row)
        with cursor.copy(f"COPY recommendations_recommendingstate ({rs_cols}) FROM STDIN") as cp:
            for row in links_rs:
                cp.write_row(row)
        with cursor.copy(f"COPY recommendations_label ({label_cols}) FROM STDIN") as cp:
            for row in links_label:
                cp.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('recommendations_recommendation', 'id'),"
            " (SELECT max(id) FROM recommendations_recommendation))"
        )
    raw.commit()


# --- measuring ------------------------------------------------------------------------------------


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "runs": len(ordered),
    }


def _time(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(runs: int, naive_runs: int | None) -> dict:
    from django.db import connection

    from uprhub.search import facets, service
    from uprhub.search.backends import get_backend
    from uprhub.search.query import parse
    from uprhub.search.types import SearchQuery

    out: dict = {}
    service.clear_caches()
    rss = _rss_mb()
    started = time.perf_counter()
    fi = facets.get_index(connection)
    out["facet_index"] = {
        "cold_load_seconds": round(time.perf_counter() - started, 2),
        "arrays_mb": round(fi.nbytes / 2**20, 1),
        "rss_growth_mb": round(_rss_mb() - rss, 1),
        "rows": fi.size,
    }
    rng = random.Random(7)
    values = _facet_values(fi)

    def two_facets() -> dict:
        names = rng.sample([n for n in FACET_CHOICES if values[n]], 2)
        return {n: (rng.choice(values[n]),) for n in names}

    queries = [(KEYWORDS[i % len(KEYWORDS)], two_facets()) for i in range(runs)]
    browse = [two_facets() for _ in range(runs)]
    for keyword in KEYWORDS[:3]:  # warm-up: imports, statement caches, page cache
        service.search(SearchQuery(text=keyword))

    backend = get_backend(connection)
    service.clear_caches()
    facets.get_index(connection)
    samples = [_time(lambda q=q: service.search(SearchQuery(text=q[0], **q[1]))) for q in queries]
    out["keyword_facets"] = _percentiles(samples)
    samples = []
    for text, filters in queries:
        service._matches.clear()
        samples.append(_time(lambda t=text, f=filters: service.search(SearchQuery(text=t, **f))))
    out["keyword_facets_uncached"] = _percentiles(samples)
    samples = [_time(lambda f=f: service.search(SearchQuery(**f))) for f in browse]
    out["browse_facets"] = _percentiles(samples)
    samples = [_time(lambda: service.search(SearchQuery())) for _ in range(max(10, runs // 3))]
    out["browse_all"] = _percentiles(samples)
    samples = [_time(lambda q=q: backend.top(connection, parse(q[0]), 20)) for q in queries]
    out["engine_floor"] = _percentiles(samples)
    samples = []
    for i in range(max(10, runs // 3)):
        service._matches.clear()
        text = BROAD_KEYWORDS[i % len(BROAD_KEYWORDS)]
        samples.append(_time(lambda t=text: service.search(SearchQuery(text=t, **two_facets()))))
    out["broad_keyword_facets_uncached"] = _percentiles(samples)
    samples = []
    for i in range(max(10, runs // 3)):
        text = BROAD_KEYWORDS[i % len(BROAD_KEYWORDS)]
        samples.append(_time(lambda t=text: backend.top(connection, parse(t), 20)))
    out["broad_engine_floor"] = _percentiles(samples)
    out["matches_per_keyword"] = {
        k: service.search(SearchQuery(text=k, page_size=1)).total for k in KEYWORDS + BROAD_KEYWORDS
    }

    naive_samples: list[float] = []
    budget_ms = 150_000
    for i, (text, filters) in enumerate(queries):
        if naive_runs is not None and i >= naive_runs:
            break
        naive_samples.append(_time(lambda t=text, f=filters: _naive(fi, t, f)))
        if naive_runs is None and sum(naive_samples) > budget_ms and len(naive_samples) >= 3:
            break
    out["naive_orm"] = _percentiles(naive_samples)
    floor, naive = out["engine_floor"], out["naive_orm"]
    for name in ("keyword_facets", "keyword_facets_uncached"):
        ours = out[name]
        out[f"{name}_ratios"] = {
            "p50_vs_engine_floor": round(ours["p50_ms"] / floor["p50_ms"], 2),
            "p95_vs_engine_floor": round(ours["p95_ms"] / floor["p95_ms"], 2),
            "naive_orm_p50_vs_ours": round(naive["p50_ms"] / ours["p50_ms"], 1),
            "naive_orm_p95_vs_ours": round(naive["p95_ms"] / ours["p95_ms"], 1),
        }
    return out


def _facet_values(fi) -> dict[str, list]:
    out: dict[str, list] = {}
    for name in FACET_CHOICES:
        counts = fi.totals[name]
        codes = [c for c in range(len(counts)) if counts[c] > 0]
        if name in ("region", "recommending_region", "position", "action_category"):
            codes = [c for c in codes if c]
        out[name] = [fi.value_of(name, c) for c in codes]
    return out


_ORM_FIELDS = {
    "state": "review__state__code",
    "recommending_state": "recommending_states__code",
    "region": "review__state__regional_group",
    "recommending_region": "recommending_states__regional_group",
    "cycle": "review__session__cycle_id",
    "session": "review__session_id",
    "position": "position",
    "action_category": "action_category",
    "theme": "labels__theme_id",
}


def _naive(fi, text: str, filters: dict) -> None:
    """What one would write without a search layer: icontains, filters, GROUP BY per facet."""
    from django.db.models import Count

    from uprhub.recommendations.models import Recommendation

    qs = Recommendation.objects.all()
    for word in text.split():
        qs = qs.filter(text__icontains=word)
    for name, values in filters.items():
        qs = qs.filter(**{f"{_ORM_FIELDS[name]}__in": values})
    qs = qs.distinct()
    for field in _ORM_FIELDS.values():
        list(qs.values(field).annotate(n=Count("id", distinct=True)).order_by())
    qs.count()
    list(qs.with_details()[:20])


if __name__ == "__main__":
    main()
