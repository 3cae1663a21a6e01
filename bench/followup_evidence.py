"""How well the evidence finder ranks, on the hand-labelled sample, and how fast; prints JSON.

    .venv/bin/python bench/followup_evidence.py                   # SQLite, a fresh file
    .venv/bin/python bench/followup_evidence.py --database-url postgres://postgres@127.0.0.1:5432/NAME
    .venv/bin/python bench/followup_evidence.py --methods tfidf fused-lexical   # a subset

The sample (``tests/followup/data/evidence_sample.json``): United States 3rd-cycle
recommendations, each with the paragraphs of the 4th-cycle UN compilation (/2) and
stakeholders' summary (/3) that are strongly relevant to it, labelled by hand (some with none).
The bundled data the finder needs is loaded first (reference data, the US 3rd-cycle
recommendations, the two documents) into a fresh SQLite file under ``--workdir``, or into the
named PostgreSQL database unless it already holds them.

For each method (``evidence.METHODS``; ``fused-lexical`` is ``fused`` without the encoder),
evidence is computed for all the State's recommendations (347) through ``find_evidence``, timed,
then scored on the sample's recommendations that have relevant paragraphs:

* ``all_in_top5``: the share whose strongly relevant paragraphs are all in the first five (the
  issue's target, 0.90; for one with more than five, five of them);
* ``any_in_top5``: the share with at least one in the first five;
* ``recall_at_5``: the mean share of a recommendation's relevant paragraphs in the first five;
* ``mrr``: mean reciprocal rank of the first relevant paragraph (first ten results);
* ``seconds``: computing all the State's recommendations (target: 30 s on 2 cores), with the
  encoder's model loaded beforehand; ``cpu_seconds`` the CPU time it took (all threads), and
  ``load_average`` how busy the machine was (the wall time grows with it; the CPU time less).

Cold by default: the documents' sentence vectors kept between runs
(``evidence.sentence_cache``) are deleted before each method, so everything is encoded.
``--warm`` first stores the recommendations' vectors as ``uprhub similarity embed`` does and
keeps the sentence vectors of a first run (not timed): what later runs pay.

The fusion weights were chosen on this same sample: its figures are optimistic for unseen
recommendations (the sample is 61 recommendations; one more hit or miss moves a share by ~0.02).
To see how much, the figures are also given for the even and the odd halves of the sample
(``even_half``, ``odd_half_held_out``): the weights of ``fused`` are the best of a small grid on
the even half (the odd half's figures were printed beside them, not used to choose).

``store``: ``evidence_store.compute_and_store`` for all the review's recommendations, run first
in the process (cold: the model loaded inside the timing, no sentence vectors kept, no
similarity store), then again (warm); ``rows`` the suggestions stored. ``--no-store`` skips it.

Measured on 6 December 2026 (SQLite, the shared 2-CPU machine at load average 10-14; 54 of the
61 sample recommendations have relevant paragraphs, 128 in all):

    method          all_in_top5  any_in_top5  recall_at_5   mrr    seconds (CPU s)
    tfidf               0.667        0.963        0.841     0.865    5.5  (0.8)
    tfidf-terms         0.741        0.944        0.844     0.881    6.2  (0.9)
    bm25                0.759        0.944        0.861     0.880    6.5  (0.9)
    semantic            0.630        0.963        0.840     0.850   67.1 (17.6)
    fused-lexical       0.833        0.981        0.912     0.904    2.2  (1.0)
    fused               0.926        1.000        0.968     0.937   44.7 (17.1)

    fused, even half    0.963        1.000        0.981     0.922
    fused, odd half     0.889        1.000        0.954     0.952   (held out; 0.889 before)

Before acronyms and scaled fusion (same day): fused 0.870 / 0.981 / 0.941 / 0.928 (halves:
0.852 even, 0.889 odd), fused-lexical 0.796 / 0.963 / 0.883 / 0.902.

    store (347 recommendations, 1735 rows)   seconds   CPU s   load average
    cold, model load included                  104.3    18.5       13.9
    warm                                         5.8     0.9       13.6
    cold, a quieter moment                      31.8    16.6        5.5
    warm, a quieter moment                       1.8     0.9        5.7

Cold, the encoder's ~760 texts (347 recommendations, ~410 sentences and clauses) are the cost:
~17 s of CPU time, so ~10-12 s of wall time on 2 otherwise idle cores (an estimate: the machine
was never idle); the wall time above is mostly waiting for the CPUs. Warm, the recommendations'
and the sentences' vectors come from the sentence cache.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from _django import start_django

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "followup" / "data" / "evidence_sample.json"
TOP = 5
RANKED = 10


def _setup(args: argparse.Namespace) -> None:
    start_django(Path(args.workdir), args.database_url, "evidence.sqlite3")
    from uprhub.recommendations.importers.bundled import BUNDLED_DOCUMENTS, bundled_path
    from uprhub.recommendations.importers.kinds import run_kind
    from uprhub.recommendations.importers.reference import load_reference_data
    from uprhub.recommendations.models import Recommendation
    from uprhub.reviews.models import Document

    if Recommendation.objects.for_state("USA").in_cycle(3).count() == 0:
        load_reference_data()
        run_kind("ohchr-csv", bundled_path("ohchr/usa-cycle3-recommendations.csv"))
    if Document.objects.filter(symbol__in=BUNDLED_DOCUMENTS).count() < len(BUNDLED_DOCUMENTS):
        for name in ("A_HRC_WG.6_50_USA_2.txt", "A_HRC_WG.6_50_USA_3.txt"):
            run_kind("un-document", bundled_path(f"ohchr/{name}"))


def _score(
    results: dict[str, list[tuple[str, int]]], sample: list[dict], half: int | None = None
) -> dict[str, float]:
    """The figures over the sample's labelled recommendations (``half`` 0 or 1: only those at
    even or odd positions in the sample)."""
    chosen = [item for n, item in enumerate(sample) if half is None or n % 2 == half]
    labelled = [item for item in chosen if item["relevant"]]
    every = anyone = recall = reciprocal = 0.0
    for item in labelled:
        relevant = {(doc, n) for doc, numbers in item["relevant"].items() for n in numbers}
        ranked = results[item["recommendation"]]
        top = set(ranked[:TOP])
        found = relevant & top
        every += len(found) >= min(len(relevant), TOP)
        anyone += bool(found)
        recall += len(found) / len(relevant)
        reciprocal += next((1 / (i + 1) for i, key in enumerate(ranked) if key in relevant), 0.0)
    n = len(labelled)
    return {
        "all_in_top5": round(every / n, 3),
        "any_in_top5": round(anyone / n, 3),
        "recall_at_5": round(recall / n, 3),
        "mrr": round(reciprocal / n, 3),
    }


def measure(methods: list[str], *, warm: bool = False) -> dict:
    from django.db import connection

    from uprhub.followup import evidence
    from uprhub.search import semantic

    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    encoder = None
    if evidence.semantic_available():
        encoder = semantic.get_encoder()
        encoder.encode(["load the model outside the timing"])
        if warm:
            semantic.embed_missing()
            evidence.find_evidence(sample["state"], sample["cycle"], limit=1)
    report: dict[str, object] = {
        "vendor": connection.vendor,
        "sample": {
            "recommendations": len(sample["recommendations"]),
            "with_relevant_paragraphs": sum(1 for r in sample["recommendations"] if r["relevant"]),
            "relevant_paragraphs": sum(
                len(v) for r in sample["recommendations"] for v in r["relevant"].values()
            ),
        },
        "semantic_available": encoder is not None,
        "warm": warm and encoder is not None,
        "targets": {"all_in_top5": 0.9, "seconds": 30},
        "methods": {},
    }
    for name in methods:
        method, use_semantic = (
            (evidence.FUSED, False) if name == "fused-lexical" else (name, encoder is not None)
        )
        if method == evidence.SEMANTIC and encoder is None:
            continue
        if encoder is not None and not warm:
            evidence.sentence_cache(encoder.model_id).unlink(missing_ok=True)
        started, cpu = time.perf_counter(), time.process_time()
        found = evidence.find_evidence(
            sample["state"],
            sample["cycle"],
            limit=RANKED,
            method=method,
            use_semantic=use_semantic,
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        results = {
            item.recommendation: [(e.document, e.paragraph) for e in item.evidence]
            for item in found
        }
        report["methods"][name] = {  # type: ignore[index]
            "used": found[0].method if found else name,
            **_score(results, sample["recommendations"]),
            # The fusion's weights were chosen on the even half: the odd half is held out.
            "even_half": _score(results, sample["recommendations"], 0),
            "odd_half_held_out": _score(results, sample["recommendations"], 1),
            "recommendations": len(found),
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2),
            "load_average": round(os.getloadavg()[0], 1),
        }
    return report


def measure_store(*, use_semantic: bool) -> dict[str, object]:
    """``compute_and_store`` for every recommendation of the sample's review: cold (run first
    in the process, so the encoder's model is loaded inside the timing, and the documents'
    sentence vectors deleted), then warm (again, model and sentence vectors kept)."""
    from uprhub.followup import evidence, evidence_store
    from uprhub.followup.models import EvidenceSuggestion
    from uprhub.reviews.models import Review
    from uprhub.search import semantic

    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    review = Review.objects.get(state__iso3=sample["state"], session__cycle_id=sample["cycle"])
    if use_semantic:
        evidence.sentence_cache(semantic.MODEL.model_id).unlink(missing_ok=True)
    out: dict[str, object] = {"semantic": use_semantic}
    for run in ("cold", "warm"):
        started, cpu = time.perf_counter(), time.process_time()
        report = evidence_store.compute_and_store(review, use_semantic=use_semantic)
        out[run] = {
            **report.as_dict(),
            "seconds": round(time.perf_counter() - started, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "load_average": round(os.getloadavg()[0], 1),
        }
    out["rows"] = EvidenceSuggestion.objects.filter(recommendation__review=review).count()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", default="/tmp/uprhub-followup-evidence")
    parser.add_argument(
        "--methods",
        nargs="*",
        default=["tfidf", "tfidf-terms", "bm25", "semantic", "fused-lexical", "fused"],
    )
    parser.add_argument("--warm", action="store_true")
    parser.add_argument(
        "--no-store", action="store_true", help="skip timing compute_and_store (cold and warm)"
    )
    args = parser.parse_args()
    _setup(args)
    stored = None
    if not args.no_store:
        from uprhub.followup import evidence

        # First, before anything loads the model: the cold figure includes loading it.
        stored = measure_store(use_semantic=evidence.semantic_available())
    report = measure(args.methods, warm=args.warm)
    if stored is not None:
        report["store"] = stored
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
