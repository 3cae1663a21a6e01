"""Plain-dict views of recommendations and search results, shared by the CLI, API and exports."""

from __future__ import annotations

from typing import Any

from uprhub.search.types import Facet, SearchResult

from .models import Recommendation


def recommendation_to_dict(rec: Recommendation) -> dict[str, Any]:
    """Expects a recommendation loaded `with_details()` (no further queries)."""
    review = rec.review
    return {
        "id": rec.pk,
        "text": rec.text,
        "state": review.state.code,
        "state_name": review.state.short_name,
        "recommending_states": [
            {"code": s.code, "name": s.short_name, "regional_group": s.regional_group}
            for s in rec.recommending_states.all()
        ],
        "position": rec.position,
        "position_as_published": rec.position_as_published,
        "cycle": review.session.cycle_id,
        "session": review.session_id,
        "review_date": review.review_date.isoformat() if review.review_date else None,
        "paragraph": rec.paragraph or None,
        "themes": [
            {"id": lab.theme_id, "name": lab.theme.name, "vocabulary": lab.theme.vocabulary.slug}
            for lab in rec.labels.all()
        ],
        "action_category": rec.action_category,
        "url": rec.get_absolute_url(),
    }


def facets_to_dict(facets: dict[str, Facet]) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [
            {
                "value": v.value,
                "label": v.label,
                "count": v.count,
                "selected": v.selected,
                **({"group": v.group} if v.group else {}),
            }
            for v in facet.values
        ]
        for name, facet in facets.items()
    }


def result_to_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": result.query.page,
        "pages": result.pages,
        "results": [
            {**recommendation_to_dict(hit.recommendation), "snippet": hit.snippet}
            for hit in result.hits
        ],
        "facets": facets_to_dict(result.facets),
    }
