"""How good the suggestions for community testimony are; prints JSON.

    .venv/bin/python bench/consultation_suggestions.py                 # SQLite, a fresh file
    .venv/bin/python bench/consultation_suggestions.py --database-url postgres://…/NAME

Loads the bundled data (like ``bench/search_quality.py``), then runs
``uprhub.consultations.evaluation.evaluate`` on ``tests/consultations/data/
suggestions_sample.json`` (60 English, 40 Spanish, 40 French testimonies about the United States)
for a consultation on the United States' 4th review: per language, the share of testimonies whose
main UPR Info issue is in the top 3 (targets 0.80 en, 0.70 es and fr), the share with a right
recommendation in the top 5 (target 0.70), and the time per testimony, with the default ranking
of links (the search engine). ``baseline_without_glossary``: the same with the text as written
given to the classifier and to search. ``links_by_minilm_embeddings``: the links ranked by
sentence embeddings (``semantic``) and by both (``hybrid``), when the semantic extra is installed.
``heldout``: the default on the sample's 24 testimonies written after the tuning.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _django import load_bundled, start_django

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests/consultations/data/suggestions_sample.json"


def _setup(args: argparse.Namespace) -> None:
    start_django(Path(args.workdir), args.database_url, "suggestions.sqlite3")
    load_bundled()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workdir", default="/tmp/uprhub-bench-suggestions")
    parser.add_argument("--misses", action="store_true", help="list the items missed")
    parser.add_argument(
        "--lexical-only", action="store_true", help="skip the MiniLM (semantic) rankings"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    _setup(args)
    setup_seconds = time.perf_counter() - started

    from django.db import connection

    from uprhub.consultations import evaluation, suggesting
    from uprhub.consultations.selectors import review_for

    review = review_for("USA", 4)
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    items = sample["items"]
    suggesting._model()  # load the classifier outside the timing
    with_terms = evaluation.evaluate(items, review)
    baseline = evaluation.evaluate(items, review, use_terms=False)
    heldout = evaluation.evaluate(sample["heldout"], review)
    semantic_report: dict = {}
    if not args.lexical_only:
        from uprhub.search import semantic

        missing = semantic.missing_requirements()
        if missing:
            semantic_report = {"skipped": f"the semantic extra is missing: {missing}"}
        else:
            encoder = semantic.get_encoder()
            for method in (suggesting.SEMANTIC, suggesting.HYBRID):
                found = evaluation.evaluate(items, review, method=method, encoder=encoder)
                semantic_report[method] = found["languages"]
    targets = {"en": 0.80, "es": 0.70, "fr": 0.70}
    report = {
        "database": connection.vendor,
        "items": len(items),
        "review": f"{review.state.short_name}, cycle {review.session.cycle_id}",
        "languages": with_terms["languages"],
        "all": with_terms["all"],
        "targets_met": {
            lang: with_terms["languages"][lang]["theme_in_top3"] >= target
            and with_terms["languages"][lang]["recommendation_in_top5"] >= 0.70
            for lang, target in targets.items()
        },
        "heldout": {**heldout["languages"], "all": heldout["all"]},
        "baseline_without_glossary": baseline["languages"],
        "links_by_minilm_embeddings": semantic_report,
        "setup_seconds": round(setup_seconds, 1),
    }
    if args.misses:
        report["misses"] = with_terms["misses"]
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
