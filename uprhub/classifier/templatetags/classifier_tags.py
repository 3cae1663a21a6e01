"""``{% suggestions_for recommendation as machine %}``: what the recommendation page shows.

A tag rather than view context, so the recommendations app needs no change to show them.
One query per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

from uprhub.recommendations.models import (
    Recommendation,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from uprhub.recommendations.selectors import pending_for

register = template.Library()


@dataclass
class PageSuggestions:
    pending: list[Suggestion] = field(default_factory=list)
    accepted_actions: list[Suggestion] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.pending or self.accepted_actions)


@register.simple_tag
def suggestions_for(recommendation: Recommendation) -> PageSuggestions:
    found = PageSuggestions()
    for suggestion in pending_for(recommendation):
        if suggestion.status == SuggestionStatus.PENDING:
            found.pending.append(suggestion)
        elif suggestion.kind == SuggestionKind.ACTION:
            found.accepted_actions.append(suggestion)
    # Issues first, best first; the action category after.
    found.pending.sort(key=lambda s: (s.kind != SuggestionKind.ISSUE, -s.score))
    return found
