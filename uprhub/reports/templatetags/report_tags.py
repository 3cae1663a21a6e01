"""Template helpers of the report pages: the "Add to report" control and diffs."""

from __future__ import annotations

from typing import Any

from django import template

from uprhub.reports.selectors import CiteTarget, cite_targets, cited_in_targets

register = template.Library()

_CACHE = "_uprhub_report_cite_targets"


def _targets_for_request(request: Any) -> tuple[list[CiteTarget], dict[int, list[str]]]:
    """The user's draft reports and what they already cite, computed once per request."""
    cached = getattr(request, _CACHE, None)
    if cached is None:
        user = getattr(request, "user", None)
        targets = cite_targets(user) if user is not None else []
        cached = (targets, cited_in_targets(targets))
        setattr(request, _CACHE, cached)
    return cached


@register.simple_tag(takes_context=True)
def cite_targets_for(context: template.Context, recommendation: Any) -> dict[str, Any]:
    """Reports about the recommendation's State the user can cite into (no query per result).

    Returns ``{"targets": [...], "cited_in": [...section titles...], "selected": pk}``.
    """
    request = context.get("request")
    if request is None or not getattr(request.user, "is_authenticated", False):
        return {"targets": [], "cited_in": [], "selected": None}
    targets, cited = _targets_for_request(request)
    state_id = recommendation.review.state_id
    matching = [t for t in targets if t.report.review.state_id == state_id]
    selected = request.session.get("reports_last_section")
    return {
        "targets": matching,
        "cited_in": cited.get(recommendation.pk, []),
        "selected": selected,
    }


@register.filter
def lines(value: Any) -> str:
    """A list of strings as lines (footnotes in a textarea)."""
    return "\n".join(str(v) for v in value or [])


@register.filter
def unmet(hints: Any) -> list[Any]:
    """The SMART hints a proposed recommendation does not meet yet."""
    return [h for h in hints or [] if not getattr(h, "met", True)]
