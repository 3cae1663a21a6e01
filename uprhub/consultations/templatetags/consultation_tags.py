"""``{% testimony_tags testimony %}``: a testimony's issues and recommendations, with the
moderator's accept / reject / add forms.

Opening a testimony that never had a tag makes the machine suggestions (for its moderators
only): suggestions are never made while a person gives testimony, so the public form stays fast.
"""

from __future__ import annotations

from typing import Any

from django import template

from uprhub.core.rules import has_perm
from uprhub.recommendations.models import SuggestionStatus, Theme

from .. import suggesting
from ..models import TagKind, Testimony, TestimonyTag

register = template.Library()

FIRST_WORDS = 24


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = (text or "").split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


@register.inclusion_tag("consultations/_testimony_tags.html", takes_context=True)
def testimony_tags(context: dict[str, Any], testimony: Testimony) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    may_tag = has_perm(user, "consultations.tag", testimony)
    tags = list(
        TestimonyTag.objects.filter(testimony=testimony)
        .exclude(status=SuggestionStatus.REJECTED)
        .select_related("theme", "recommendation__review__session")
        .prefetch_related("recommendation__recommending_states")
        .order_by("kind", "status", "-score", "pk")
    )
    themes = [t for t in tags if t.kind == TagKind.THEME]
    recommendations = [t for t in tags if t.kind == TagKind.RECOMMENDATION]
    for tag in recommendations:
        tag.first_words = first_words(tag.recommendation.text)
    taken = set(TestimonyTag.objects.filter(testimony=testimony).values_list("theme_id", flat=True))
    choices = (
        Theme.objects.filter(vocabulary__slug=suggesting.ISSUES_VOCABULARY)
        .exclude(pk__in=[pk for pk in taken if pk])
        .order_by("name")
        if may_tag
        else []
    )
    return {
        "testimony": testimony,
        "themes": themes,
        "recommendations": recommendations,
        "may_tag": may_tag,
        "choices": choices,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
        "pending": SuggestionStatus.PENDING,
    }
