"""Benchmark the UPR Info issue / action-category classifier; prints one JSON object.

    .venv/bin/python bench/classifier.py            # everything (~4 minutes on 2 cores)
    .venv/bin/python bench/classifier.py --quick    # one held-out split, no full retrain
    .venv/bin/python bench/classifier.py --quick --splits 14 15 16   # more splits

Measured:

* ``train_seconds``: the shipped recipe (``uprhub classifier train``) on sessions 1–17, written
  to a temporary file (the shipped artifact is left alone), and whether its calibration-slice
  figures equal those stored in the shipped artifact (``reproducible``);
* ``predict_texts_per_second``: issues + action category, in batches of 1,000 texts;
* ``artifact_mb``: the shipped artifact's size;
* ``rss_mb_with_model``: resident memory of a fresh process that has set up Django, imported the
  WSGI application, loaded the model and predicted (``rss_mb_before_model``: before loading it);
  ``rss_mb_after_all_texts``: the same process after predicting every bundled text, which fills
  the char channel's word cache (``char_cache_words``) — an upper bound, as it counts the
  examples too;
  the serving process's total is ``bench/server_memory.py``'s figure plus the difference;
* ``quality``: held-out session splits, trained with the full recipe on the earlier sessions
  only (calibration inside them), figures on the later sessions and on the test texts that
  never occur in the training sessions ("unseen").

Targets (issue "Machine tagging"): issues micro-F1 ≥ 0.92 and action accuracy ≥ 0.92 on a
session split; training ≤ 120 s; ≥ 2,000 texts/s; artifact ≤ 30 MB; ≤ 300 MB RSS.
What a fine-tuned transformer would reach on the same split: ``bench/classifier_transformer.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")

TARGETS = {
    "issues_micro_f1": 0.92,
    "action_accuracy": 0.92,
    "train_seconds": 120,
    "predict_texts_per_second": 2000,
    "artifact_mb": 30,
    "rss_mb_with_model": 300,
}

_RSS_CHILD = """
import os, sys, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
sys.path.insert(0, sys.argv[1])
def rss():
    fields = {}
    for line in open(f"/proc/{os.getpid()}/status"):
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            fields[key] = int(value.split()[0]) // 1024
    return fields
import django
django.setup()
from uprhub.wsgi import application  # noqa: F401  (what a server process holds)
import uprhub.search.service  # noqa: F401
before = rss()
from uprhub.classifier.model import get_model
model = get_model()
model.predict(["Abolish the death penalty"] * 1000)
after = rss()
# Then every text of the bundled data, which fills the char channel's word cache: an upper
# bound, as it also counts the examples themselves.
from uprhub.classifier.training import BUNDLED_DATA, read_examples
texts = [e.text for e in read_examples(BUNDLED_DATA)]
for start in range(0, len(texts), 1000):
    model.predict(texts[start : start + 1000])
full = rss()
print(json.dumps({"before": before["VmRSS"], "after": after["VmRSS"], "peak": full["VmHWM"],
                  "after_all_texts": full["VmRSS"],
                  "cached_words": len(model.featurizer.channels["char"]._word_features)}))
"""


def _rss() -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", _RSS_CHILD, str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(ROOT),
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _summary(figures: dict) -> dict:
    keep = (
        "split",
        "n",
        "issues_micro_f1",
        "issues_macro_f1",
        "action_accuracy",
        "action_macro_f1",
        "action_f1_by_category",
        "seen_in_training",
        "train_seconds",
        "calibration_sessions",
    )
    out = {k: figures[k] for k in keep if k in figures}
    out["issues_weakest"] = [
        f"{row['label']} {row['f1']} (n={row['support']})" for row in figures["issues_weakest"]
    ]
    if "unseen" in figures:
        unseen = figures["unseen"]
        out["unseen"] = {
            k: unseen[k]
            for k in ("n", "issues_micro_f1", "issues_macro_f1", "action_accuracy")
            if k in unseen
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one split; no full retrain")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--splits",
        type=int,
        nargs="+",
        metavar="N",
        help="last training session of each held-out split (default: 14 12; --quick: 14)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from uprhub.classifier.model import Model, artifact_path
    from uprhub.classifier.training import (
        BUNDLED_DATA,
        TrainingParams,
        holdout,
        read_examples,
        train,
    )

    params = TrainingParams(n_jobs=args.jobs)
    examples = read_examples(BUNDLED_DATA)
    result: dict = {"examples": len(examples), "cpu_count": os.cpu_count()}

    shipped = Model.load(artifact_path())
    result["model_version"] = shipped.version
    result["artifact_mb"] = round(artifact_path().stat().st_size / 1_000_000, 2)

    if not args.quick:
        started = time.perf_counter()
        model, report = train(examples, params)
        result["train_seconds"] = round(time.perf_counter() - started, 1)
        with tempfile.TemporaryDirectory() as tmp:
            size = model.save(Path(tmp) / "m.npz").stat().st_size
        result["retrained_artifact_mb"] = round(size / 1_000_000, 2)
        stored = shipped.meta.get("report", {}).get("validation", {})
        keys = ("issues_micro_f1", "issues_macro_f1", "action_accuracy", "action_macro_f1")
        result["reproducible"] = all(stored.get(k) == report.validation.get(k) for k in keys)

    texts = [e.text for e in examples[:10_000]]
    shipped.predict(texts[:100])  # warm up
    started = time.perf_counter()
    for start in range(0, len(texts), 1000):
        shipped.predict(texts[start : start + 1000])
    result["predict_texts_per_second"] = round(len(texts) / (time.perf_counter() - started))

    rss = _rss()
    result["rss_mb_before_model"] = rss["before"]
    result["rss_mb_with_model"] = rss["after"]
    result["rss_mb_peak"] = rss["peak"]
    result["rss_mb_after_all_texts"] = rss["after_all_texts"]
    result["char_cache_words"] = rss["cached_words"]

    splits = args.splits or ([14] if args.quick else [14, 12])
    if 14 not in splits:
        splits.insert(0, 14)  # the split the targets are read from
    result["quality"] = {
        f"train_1-{last}": _summary(holdout(examples, last, params)) for last in splits
    }
    main_split = result["quality"]["train_1-14"]
    measured = {
        "issues_micro_f1": main_split["issues_micro_f1"],
        "action_accuracy": main_split["action_accuracy"],
        "train_seconds": result.get("train_seconds"),
        "predict_texts_per_second": result["predict_texts_per_second"],
        "artifact_mb": result["artifact_mb"],
        "rss_mb_with_model": result["rss_mb_with_model"],
    }
    result["targets"] = TARGETS
    upper = {"train_seconds", "artifact_mb", "rss_mb_with_model"}  # at most; others at least
    result["meets"] = {
        name: None
        if value is None
        else (value <= TARGETS[name] if name in upper else value >= TARGETS[name])
        for name, value in measured.items()
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
