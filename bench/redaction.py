"""Precision and recall of the suggested redactions on the labelled sample; prints JSON.

    .venv/bin/python bench/redaction.py [tests/consultations/data/redaction_sample.json]

A labelled span counts as found when suggested spans of the same kind cover every letter and
digit of it (redaction is about not leaking: a slightly wider cut, or "St" without its full
stop, still protects). A suggested span is
correct when it overlaps a labelled span of the same kind. Exact matches are counted too.
Also times the worst case: a 10,000-character adversarial text.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
SAMPLE = ROOT / "tests" / "consultations" / "data" / "redaction_sample.json"


def score(items: list[dict], suggest: Callable[..., list]) -> dict:
    kinds = ("email", "phone", "address", "name")
    counts = {
        k: {"labelled": 0, "found": 0, "exact": 0, "suggested": 0, "correct": 0} for k in kinds
    }
    misses: list[dict] = []
    for item in items:
        gold = item["spans"]
        got = suggest(item["text"], names=item["names"])
        for g in gold:
            c = counts[g["kind"]]
            c["labelled"] += 1
            same = [s for s in got if s.kind == g["kind"]]
            letters = [i for i in range(g["start"], g["end"]) if item["text"][i].isalnum()]
            if all(any(s.start <= i < s.end for s in same) for i in letters):
                c["found"] += 1
            else:
                misses.append({"id": item["id"], "kind": g["kind"], "missed": g["text"]})
            if any(s.start == g["start"] and s.end == g["end"] for s in same):
                c["exact"] += 1
        for s in got:
            c = counts[s.kind]
            c["suggested"] += 1
            if any(g["kind"] == s.kind and g["start"] < s.end and s.start < g["end"] for g in gold):
                c["correct"] += 1
            else:
                misses.append({"id": item["id"], "kind": s.kind, "wrongly_suggested": s.text})
    result: dict = {}
    for kind, c in counts.items():
        result[kind] = {
            "labelled": c["labelled"],
            "recall": round(c["found"] / c["labelled"], 4) if c["labelled"] else None,
            "precision": round(c["correct"] / c["suggested"], 4) if c["suggested"] else None,
            "exact_match": round(c["exact"] / c["labelled"], 4) if c["labelled"] else None,
            "suggested": c["suggested"],
        }
    return {"per_kind": result, "errors": misses}


def main() -> None:
    import django

    django.setup()
    from uprhub.consultations.redaction import MAX_CHARS, suggest

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["items"]
    started = time.perf_counter()
    result = score(items, suggest)
    elapsed = time.perf_counter() - started
    worst = 0.0
    for chunk in ("1 ", "a@", "+1 ", "My son ", "Aaaa ", "12 rue ", "a.", "0" * 9 + " ", "Mr. A "):
        text = (chunk * (MAX_CHARS // len(chunk) + 1))[:MAX_CHARS]
        t0 = time.perf_counter()
        suggest(text, names=["Ana María de la Cruz", "Aaaa"])
        worst = max(worst, time.perf_counter() - t0)
    result.update(
        sentences=len(items),
        languages=sorted({i["language"] for i in items}),
        ms_per_sentence=round(1000 * elapsed / len(items), 3),
        worst_adversarial_seconds=round(worst, 3),
    )
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
