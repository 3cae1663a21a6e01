"""Plain-dict views of recommendations and search results, shared by the CLI, API and exports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from uprhub.recommendations.models import Recommendation, Suggestion, SuggestionKind
from uprhub.recommendations.selectors import pending_by_recommendation
from uprhub.search import service, suggest
from uprhub.search.types import Facet, SearchResult


def suggestion_to_dict(suggestion: Suggestion) -> dict[str, Any]:
    """A pending machine suggestion. ``value`` is the theme id (kind "issue") or the action
    category 1–5 (kind "action"), like ``themes[].id`` and ``action_category``."""
    is_issue = suggestion.kind == SuggestionKind.ISSUE
    return {
        "kind": suggestion.kind,
        "value": suggestion.theme_id if is_issue else suggestion.action_category,
        "label": suggestion.value_label,
        "score": round(suggestion.score, 4),
        "model_version": suggestion.model_version,
        "created_at": suggestion.created_at.isoformat(),
    }


def recommendation_to_dict(
    rec: Recommendation, suggestions: Sequence[Suggestion] | None = None
) -> dict[str, Any]:
    """Expects a recommendation loaded `with_details()` (no further queries).

    ``suggestions`` (its pending machine suggestions, read in bulk by
    :func:`recommendations_to_dicts`) adds a ``suggestions`` list, kept apart from the human
    and imported labels in ``themes`` and ``action_category``; ``None`` leaves the key out.
    """
    review = rec.review
    data = {
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
    if suggestions is not None:
        data["suggestions"] = [suggestion_to_dict(s) for s in suggestions]
    return data


def recommendations_to_dicts(recs: Sequence[Recommendation]) -> list[dict[str, Any]]:
    """:func:`recommendation_to_dict` of each, with pending suggestions read in one query."""
    pending = pending_by_recommendation(rec.pk for rec in recs)
    return [recommendation_to_dict(rec, pending.get(rec.pk, [])) for rec in recs]


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


def search_hints_to_dict(result: SearchResult) -> dict[str, Any]:
    """How the words were understood, and what to try when nothing matched."""
    return {
        "also_searched": list(result.also_searched),
        "themes_included": list(result.themes_included),
        "suggestions": [
            {
                "kind": s.kind,
                "label": s.label,
                "count": s.count,
                "description": suggest.describe(s),
                "params": service.query_to_params(s.query),
            }
            for s in result.suggestions
        ],
    }


def result_to_dict(result: SearchResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": result.query.page,
        "pages": result.pages,
        "results": [
            {**data, "snippet": hit.snippet}
            for hit, data in zip(
                result.hits,
                recommendations_to_dicts([hit.recommendation for hit in result.hits]),
                strict=True,
            )
        ],
        "facets": facets_to_dict(result.facets),
        **search_hints_to_dict(result),
    }
