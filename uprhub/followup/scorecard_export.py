"""A scorecard as plain data: the JSON download and the API (`to_dict`), the CSV (`csv_rows`).

Built from a `scorecard.Scorecard`, so it holds what the page shows and nothing more: published
positions only, no names of people. The CSV goes through `uprhub.core.exports` (formula-safe
cells).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from uprhub.core.exports import csv_lines

from .scorecard import BUCKETS, Breakdown, Row, Scorecard, bucket_label


def _breakdown(line: Breakdown) -> dict[str, Any]:
    return {"key": line.key, "label": line.label, "total": line.total, "counts": dict(line.counts)}


def _evidence_label(item: dict[str, Any]) -> str:
    if item["document_symbol"]:
        if item["paragraph"]:
            return f"{item['document_symbol']} para. {item['paragraph']}"
        return item["document_symbol"]
    return item["title"] or item["url"]


def row_to_dict(row: Row) -> dict[str, Any]:
    return {
        "paragraph": row.paragraph,
        "text": row.text,
        "recommending_states": row.recommending,
        "response": row.response,
        "themes": row.themes,
        "grade": {"code": row.grade_code, "label": row.grade_label} if row.assessed else None,
        "bucket": row.bucket,
        "rationale": row.rationale,
        "as_of": row.as_of.isoformat() if row.as_of else None,
        "evidence": [
            {
                "kind": item["kind"],
                "document": item["document_symbol"],
                "paragraph": item["paragraph"],
                "url": item["url"],
                "title": item["title"],
                "quote": item["quote"],
                "date": item["date"].isoformat() if item["date"] else None,
            }
            for item in row.evidence
        ],
        "state_claims": [
            {
                "document": claim["document_symbol"],
                "paragraph": claim["paragraph"],
                "claim": claim["claim"],
                "claim_label": claim["label"],
                "quote": claim["quote"],
                "date": claim["date"].isoformat() if claim["date"] else None,
            }
            for claim in row.claims
        ],
        "organisations_disagreeing": [
            {
                "organisation": a["organisation"],
                "grade": {"code": a["grade_code"], "label": a["grade_label"]},
                "bucket": a["bucket"],
                "rationale": a["rationale"],
                "as_of": a["as_of"].isoformat() if a["as_of"] else None,
            }
            for a in row.assessments
        ],
    }


def figures(card: Scorecard) -> dict[str, Any]:
    """The figures of a scorecard (no recommendation rows)."""
    round_ = card.round
    comparison = card.comparison
    return {
        "state": card.review.state.iso3,
        "cycle": card.cycle,
        "round": {
            "slug": round_.slug,
            "name": round_.name,
            "as_of": round_.as_of.isoformat(),
            "scale": round_.scale.slug,
        },
        "rounds": [
            {"slug": r.slug, "name": r.name, "as_of": r.as_of.isoformat()} for r in card.rounds
        ],
        "buckets": {b: bucket_label(b) for b in BUCKETS},
        "total": card.total,
        "assessed": card.assessed,
        "not_assessed": card.not_assessed,
        "headline": {
            "supported_not_implemented": card.headline.not_implemented,
            "supported": card.headline.supported,
            "percent": card.headline.percent,
            "supported_not_yet_assessed": card.headline.not_assessed,
        },
        "by_grade": [
            {"code": g.code, "label": g.label, "bucket": g.bucket, "count": g.count}
            for g in card.grades
        ],
        "by_bucket": dict(card.by_bucket.counts),
        "themes_vocabulary": card.vocabulary,
        "by_theme": [_breakdown(line) for line in card.by_theme],
        "by_recommending_state": [_breakdown(line) for line in card.by_state],
        "by_regional_group": [_breakdown(line) for line in card.by_group],
        "by_response": [_breakdown(line) for line in card.by_response],
        "comparison": None
        if comparison is None
        else {
            "earlier": comparison.earlier.slug,
            "later": comparison.later.slug,
            "by_bucket": [
                {"bucket": b, "earlier": before, "later": after}
                for b, _label, before, after in comparison.buckets
            ],
            "changed": [
                {
                    "paragraph": c.paragraph,
                    "before": c.before,
                    "before_bucket": c.before_bucket,
                    "after": c.after,
                    "after_bucket": c.after_bucket,
                }
                for c in comparison.changed
            ],
        },
        "national_report": card.national_report or None,
    }


def to_dict(card: Scorecard) -> dict[str, Any]:
    """Figures and every recommendation: the JSON download."""
    return {**figures(card), "recommendations": [row_to_dict(r) for r in card.rows]}


def csv_header() -> list[str]:
    return [
        _("Paragraph"),
        _("Recommendation"),
        _("Recommending States"),
        _("Response"),
        _("Themes"),
        _("Grade"),
        _("Grade label"),
        _("Implementation"),
        _("Rationale"),
        _("As of"),
        _("Evidence"),
    ]


def csv_rows(card: Scorecard) -> Iterator[list[Any]]:
    for row in card.rows:
        yield [
            row.paragraph,
            row.text,
            "; ".join(row.recommending),
            row.response_label,
            "; ".join(row.themes),
            row.grade_code,
            row.grade_label,
            row.bucket_label,
            row.rationale,
            row.as_of.isoformat() if row.as_of else "",
            "; ".join(_evidence_label(item) for item in row.evidence),
        ]


def csv_text(card: Scorecard) -> Iterator[str]:
    """The CSV download, line by line, every cell formula-safe."""
    return csv_lines(csv_header(), csv_rows(card))
