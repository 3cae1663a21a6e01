"""Benchmark "similar recommendations": full-text/TF-IDF vs. the semantic extra; prints JSON.

    .venv/bin/python bench/similarity.py                  # 500 queries over all bundled data
    .venv/bin/python bench/similarity.py --queries 200 --workdir /tmp/uprhub-sim

Needs the ``semantic`` extra (``pip install -e '.[semantic]'``); without it only the TF-IDF
figures are printed, with ``"semantic": "not installed"``.

The data: the bundled data loaded into a SQLite database under ``--workdir`` (kept between runs,
like the stored vectors: the first run loads the data, about a minute, and embeds every distinct
text, some minutes on 2 cores; later runs re-use both).

The labelled sample: ``--queries`` recommendations (seed ``--seed``) drawn from those with UPR
Info issues and an action category. A hit is **relevant** when it shares at least one UPR Info
issue with the query *and* has the same action category: the same subject asked with the same
strength (a "ratify the Convention against Torture" is not much help to someone looking at
"consider ratifying" it, nor one on another subject). ``issue_precision_at_5`` gives the looser
"shares an issue" figure too. Candidates are the labelled recommendations of other reviews whose
text differs from the query's: identical texts are listed first by ``similar()`` whichever
ranking is on, so they say nothing about the ranking (they are dropped from every list, and the
lists are filled up to 5 from further down). Unlabelled rows (OHCHR lists) cannot be judged and
are skipped the same way.

Ranked, each with precision@5 and nDCG@5 (binary relevance, ideal = min(5, relevant rows)):

* ``fts_similar``: ``service.similar()`` as shipped (UPRHUB_SIMILARITY=tfidf): the text's
  rarest words OR-ed in SQLite FTS5, ranked by bm25;
* ``tfidf_cosine``: in-memory TF-IDF (scikit-learn, sublinear tf, English stop words) cosine;
* ``semantic_similar``: ``service.similar()`` with UPRHUB_SIMILARITY=semantic;
* ``hybrid_cosine``: informational, 0.3 × TF-IDF cosine + 0.7 × embedding cosine, in memory.

Also: latency of ``similar()`` (p50/p95 ms) both ways, embedding throughput (texts/s, one
process, batches of 32 sorted by length), model and vector-store sizes, and resident memory of a
fresh process: before/after loading the model and embedding 1,000 texts (``rss_mb_model_*``),
and a web-like process that only reads the stored vectors to answer ``similar()``
(``rss_mb_web_*``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
K = 5

_RSS = """
def rss():
    out = {}
    for line in open(f"/proc/{os.getpid()}/status"):
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            out[key] = int(value.split()[0]) // 1024
    return out
"""

_MODEL_CHILD = (
    "import os, sys, json, time\n"
    + _RSS
    + """
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
import django
django.setup()
from uprhub.wsgi import application  # noqa: F401
texts = json.loads(open(sys.argv[2]).read())
before = rss()["VmRSS"]
from uprhub.search import semantic
encoder = semantic.OnnxEncoder()
started = time.perf_counter()
encoder.encode(texts[:8])
load_s = time.perf_counter() - started
loaded = rss()["VmRSS"]
started = time.perf_counter()
encoder.encode(texts)
seconds = time.perf_counter() - started
after = rss()
print(json.dumps({"before": before, "loaded": loaded, "after": after["VmRSS"],
                  "peak": after["VmHWM"], "load_s": load_s, "texts": len(texts),
                  "seconds": seconds}))
"""
)

_WEB_CHILD = (
    "import os, sys, json\n"
    + _RSS
    + """
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
import django
django.setup()
from uprhub.wsgi import application  # noqa: F401
from django.conf import settings
from uprhub.recommendations.models import Recommendation
from uprhub.search import service
before = rss()["VmRSS"]
settings.UPRHUB_SIMILARITY = sys.argv[2]
for rec in Recommendation.objects.select_related("review").order_by("id")[:50]:
    service.similar(rec)
after = rss()
print(json.dumps({"before": before, "after": after["VmRSS"], "peak": after["VmHWM"]}))
"""
)


def _child(code: str, *args: str, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(ROOT),
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {}
    qs = statistics.quantiles(values, n=20) if len(values) > 1 else [values[0]] * 19
    return {"p50": round(statistics.median(values), 1), "p95": round(qs[18], 1)}


class Judge:
    """Labels of every recommendation, and the metrics of a ranked list of ids."""

    def __init__(self, rows: list[tuple], issues: dict[int, frozenset]) -> None:
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.pos = {int(pk): i for i, pk in enumerate(self.ids)}
        self.review = np.array([r[1] for r in rows], dtype=np.int64)
        self.key = np.array([r[2] for r in rows])
        self.action = np.array([r[4] or 0 for r in rows], dtype=np.int64)
        self.issues = [issues.get(int(pk), frozenset()) for pk in self.ids]
        self.labelled = np.array(
            [bool(i) and a > 0 for i, a in zip(self.issues, self.action, strict=True)]
        )
        # issue -> rows having it, to count the relevant rows of a query quickly
        self.by_issue: dict[str, np.ndarray] = {}
        for issue in {i for s in self.issues for i in s}:
            self.by_issue[issue] = np.array([issue in s for s in self.issues], dtype=bool)

    def candidates(self, q: int) -> np.ndarray:
        """Rows that may be judged for query row q."""
        return self.labelled & (self.review != self.review[q]) & (self.key != self.key[q])

    def relevant_mask(self, q: int) -> np.ndarray:
        shares = np.zeros(len(self.ids), dtype=bool)
        for issue in self.issues[q]:
            shares |= self.by_issue[issue]
        return shares & (self.action == self.action[q]) & self.candidates(q)

    def judge(self, q: int, ranked_ids: list[int]) -> dict:
        ok = self.candidates(q)
        top = [self.pos[i] for i in ranked_ids if i in self.pos and ok[self.pos[i]]][:K]
        relevant = self.relevant_mask(q)
        rel = np.array([relevant[r] for r in top], dtype=float)
        issue_rel = [bool(self.issues[r] & self.issues[q]) for r in top]
        discounts = 1 / np.log2(np.arange(2, K + 2))
        ideal = discounts[: min(K, int(relevant.sum()))].sum()
        return {
            "p": rel.sum() / K,
            "ndcg": float((rel * discounts[: len(rel)]).sum() / ideal) if ideal else 0.0,
            "issue_p": sum(issue_rel) / K,
            "short": len(top) < K,
        }


def _summary(results: list[dict], latencies: list[float] | None = None) -> dict:
    out = {
        "precision_at_5": round(float(np.mean([r["p"] for r in results])), 4),
        "ndcg_at_5": round(float(np.mean([r["ndcg"] for r in results])), 4),
        "issue_precision_at_5": round(float(np.mean([r["issue_p"] for r in results])), 4),
        "queries_with_fewer_than_5": int(sum(r["short"] for r in results)),
    }
    if latencies:
        out["latency_ms"] = _percentiles(latencies)
    return out


def _bootstrap_diff(a: list[dict], b: list[dict], key: str, seed: int) -> dict:
    """b - a, with a 95 % paired bootstrap interval over the queries."""
    x = np.array([r[key] for r in b]) - np.array([r[key] for r in a])
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, len(x), (2000, len(x)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"mean": round(float(x.mean()), 4), "ci95": [round(low, 4), round(high, 4)]}


def _similar_ids(service, rec, settings, mode: str, same: int) -> tuple[list[int], float]:
    settings.UPRHUB_SIMILARITY = mode
    started = time.perf_counter()
    # Room for identical texts and unlabelled rows, which are dropped before judging.
    hits = service.similar(rec, limit=K + same + 10)
    return [h.id for h in hits], (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default="/tmp/uprhub-bench-similarity")
    parser.add_argument("--skip-rss", action="store_true", help="no child-process memory runs")
    args = parser.parse_args()

    workdir = Path(args.workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="uprhub.settings",
        UPRHUB_DATA_DIR=str(workdir),
        UPRHUB_SUGGEST_ON_IMPORT="false",
        UPRHUB_TASKS_BACKEND="dummy",  # the vectors are computed here, not by a worker
        UPRHUB_SIMILARITY="tfidf",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from uprhub.recommendations.models import Recommendation
    from uprhub.search import semantic, service
    from uprhub.site.bootstrap import prepare_database

    started = time.perf_counter()
    prepare_database(say=lambda msg: print(msg, file=sys.stderr))
    result: dict = {
        "database": "sqlite",
        "prepare_seconds": round(time.perf_counter() - started, 1),
    }

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, review_id, text_key, text, action_category"
            " FROM recommendations_recommendation ORDER BY id"
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT l.recommendation_id, t.name FROM recommendations_label l"
            " JOIN recommendations_theme t ON t.id = l.theme_id"
            " JOIN recommendations_vocabulary v ON v.id = t.vocabulary_id"
            " WHERE v.slug = 'uprinfo-issues'"
        )
        issue_pairs = cursor.fetchall()
    issues: dict[int, set] = {}
    for pk, name in issue_pairs:
        issues.setdefault(pk, set()).add(name)
    judge = Judge(rows, {k: frozenset(v) for k, v in issues.items()})
    labelled = np.flatnonzero(judge.labelled)
    queries = sorted(random.Random(args.seed).sample(labelled.tolist(), args.queries))
    result.update(
        recommendations=len(rows),
        distinct_texts=len(set(judge.key.tolist())),
        labelled=int(len(labelled)),
        queries=len(queries),
        seed=args.seed,
        relevance="shares >= 1 UPR Info issue AND same action category",
        mean_relevant_per_query=round(
            float(np.mean([judge.relevant_mask(q).sum() for q in queries])), 1
        ),
    )
    recs = Recommendation.objects.select_related("review").in_bulk(
        [int(judge.ids[q]) for q in queries]
    )
    same_count = {q: int((judge.key == judge.key[q]).sum()) - 1 for q in queries}

    # (1) as shipped: full-text similar()
    fts, fts_ms = [], []
    for q in queries:
        ids, ms = _similar_ids(service, recs[int(judge.ids[q])], settings, "tfidf", same_count[q])
        fts.append(judge.judge(q, ids))
        fts_ms.append(ms)
    methods = {"fts_similar": _summary(fts, fts_ms)}

    # (2) in-memory TF-IDF cosine
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [r[3] for r in rows]
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float32)
    matrix = tfidf.fit_transform(texts)

    def ranked(scores: np.ndarray, q: int) -> list[int]:
        scores = np.where(judge.candidates(q), scores, -np.inf)
        top = np.argpartition(-scores, K * 4)[: K * 4]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [int(judge.ids[i]) for i in top]

    tf_scores = {q: (matrix @ matrix[q].T).toarray().ravel() for q in queries}
    tfidf_results = [judge.judge(q, ranked(tf_scores[q], q)) for q in queries]
    methods["tfidf_cosine"] = _summary(tfidf_results)

    # (3) semantic
    missing = semantic.missing_requirements()
    if missing:
        result["semantic"] = f"not installed (missing: {', '.join(missing)})"
    else:
        settings.UPRHUB_SIMILARITY = "semantic"
        semantic.clear_caches()
        report = semantic.embed_missing(
            progress=lambda done, total: print(
                f"\rembedding {done}/{total}", end="", file=sys.stderr
            )
        )
        print(file=sys.stderr)
        result["embed_run"] = report.as_dict()
        sem, sem_ms = [], []
        for q in queries:
            ids, ms = _similar_ids(
                service, recs[int(judge.ids[q])], settings, "semantic", same_count[q]
            )
            sem.append(judge.judge(q, ids))
            sem_ms.append(ms)
        methods["semantic_similar"] = _summary(sem, sem_ms)

        store = semantic.get_store()
        vectors = store.vectors[store.rows_of(judge.key.astype("S40"))].astype(np.float32)
        hybrid = []
        for q in queries:
            scores = 0.3 * tf_scores[q] + 0.7 * (vectors @ vectors[q])
            hybrid.append(judge.judge(q, ranked(scores, q)))
        methods["hybrid_cosine"] = _summary(hybrid)
        result["semantic_minus_fts"] = {
            "precision_at_5": _bootstrap_diff(fts, sem, "p", args.seed),
            "ndcg_at_5": _bootstrap_diff(fts, sem, "ndcg", args.seed),
        }
        result["semantic_minus_tfidf_cosine"] = {
            "precision_at_5": _bootstrap_diff(tfidf_results, sem, "p", args.seed),
            "ndcg_at_5": _bootstrap_diff(tfidf_results, sem, "ndcg", args.seed),
        }

        weights, tokenizer = semantic.OnnxEncoder().files()
        path = semantic.store_path()
        result["model"] = {
            "id": semantic.MODEL.model_id,
            "weights_mb": round(weights.stat().st_size / 1e6, 1),
            "tokenizer_mb": round(tokenizer.stat().st_size / 1e6, 2),
            "store_mb": round(path.stat().st_size / 1e6, 1),
            "store_texts": len(store),
        }
        if not args.skip_rss:
            sample = [texts[i] for i in random.Random(1).sample(range(len(texts)), 1000)]
            sample_file = workdir / "rss-sample.json"
            sample_file.write_text(json.dumps(sample))
            env = dict(os.environ)
            model = _child(_MODEL_CHILD, str(sample_file), env=env)
            result["embedding_texts_per_second"] = round(model["texts"] / model["seconds"], 1)
            result["model_load_seconds"] = round(model["load_s"], 2)
            result["rss_mb_model_before"] = model["before"]
            result["rss_mb_model_loaded"] = model["loaded"]
            result["rss_mb_model_after_1000_texts"] = model["after"]
            web_tfidf = _child(_WEB_CHILD, "tfidf", env=env)
            web_sem = _child(_WEB_CHILD, "semantic", env=env)
            result["rss_mb_web_tfidf"] = web_tfidf["after"]
            result["rss_mb_web_semantic"] = web_sem["after"]
    result["methods"] = methods
    result["cpu_count"] = os.cpu_count()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
