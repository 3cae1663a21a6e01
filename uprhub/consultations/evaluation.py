"""How good the testimony suggestions are, on a labelled sample (``bench/consultation_suggestions
.py`` prints it; a test runs it on a small part).

A sample item is ``{"id", "language", "theme", "text", "recommendations"}``: its main UPR Info
issue and the right recommendations to link, each named ``"<Working Group report symbol>
<paragraph>"`` or, for rows without a paragraph, ``"<symbol> #<text_key>"``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

from uprhub.recommendations.models import Recommendation

from . import suggesting

TOP_THEMES = 3
TOP_RECOMMENDATIONS = 5


def resolve(refs: Sequence[str]) -> set[int]:
    """The ids of the recommendations named in a sample (unknown names are skipped)."""
    ids: set[int] = set()
    for ref in refs:
        symbol, _space, rest = ref.rpartition(" ")
        rows = Recommendation.objects.filter(review__wg_report_symbol=symbol)
        if rest.startswith("#"):
            rows = rows.filter(text_key=rest[1:])
        else:
            rows = rows.filter(paragraph=rest)
        ids.update(rows.values_list("pk", flat=True))
    return ids


def evaluate(
    items: Sequence[dict[str, Any]],
    review: Any,
    *,
    use_terms: bool = True,
    method: str = suggesting.LEXICAL,
    encoder: Any = None,
) -> dict[str, Any]:
    """Per language: the share of items whose main issue is in the top 3, the share with a right
    recommendation in the top 5, and the time per item."""
    candidates = suggesting.Candidates.for_review(review)
    model = suggesting._model()
    rows: dict[str, list[tuple[bool, bool, float]]] = {}
    misses: list[dict[str, Any]] = []
    for item in items:
        started = time.perf_counter()
        issues = suggesting.rank_issues(
            [item["text"]], [item["language"]], model=model, use_terms=use_terms
        )[0]
        top = [name for name, _score in issues[:TOP_THEMES]]
        links = suggesting.rank_recommendations(
            item["text"],
            item["language"],
            candidates,
            top,
            TOP_RECOMMENDATIONS,
            use_terms=use_terms,
            method=method,
            encoder=encoder,
        )
        elapsed = time.perf_counter() - started
        right = resolve(item["recommendations"])
        theme_hit = item["theme"] in top
        link_hit = bool(right & {pk for pk, _score in links})
        rows.setdefault(item["language"], []).append((theme_hit, link_hit, elapsed))
        if not (theme_hit and link_hit):
            misses.append(
                {"id": item.get("id"), "theme": item["theme"], "top": top, "link_hit": link_hit}
            )
    result: dict[str, Any] = {"languages": {}}
    every: list[tuple[bool, bool, float]] = []
    for language, found in sorted(rows.items()):
        every += found
        result["languages"][language] = _summary(found)
    result["all"] = _summary(every)
    result["misses"] = misses
    return result


def _summary(found: list[tuple[bool, bool, float]]) -> dict[str, Any]:
    if not found:
        return {"items": 0}
    return {
        "items": len(found),
        "theme_in_top3": round(sum(t for t, _l, _e in found) / len(found), 3),
        "recommendation_in_top5": round(sum(link for _t, link, _e in found) / len(found), 3),
        "median_ms": round(statistics.median(e for _t, _l, e in found) * 1000, 1),
        "max_ms": round(max(e for _t, _l, e in found) * 1000, 1),
    }
