"""Reads of recommendations and their vocabularies for the pages and the API.

Searching is not here: it is the search layer's (``uprhub.search.service``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.db.models import Prefetch, Q, QuerySet

from .models import (
    Label,
    Recommendation,
    RecommendingState,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    Theme,
    Vocabulary,
)


def recommendation_page(pk: int) -> Recommendation | None:
    """A recommendation with what its page shows: review, State, session, source, recommending
    States by name, labels by vocabulary and theme (three queries)."""
    return (
        Recommendation.objects.select_related("review__state", "review__session", "source")
        .prefetch_related(
            Prefetch(
                "recommenders",
                RecommendingState.objects.select_related("state").order_by("state__short_name"),
            ),
            Prefetch(
                "labels",
                Label.objects.select_related("theme__vocabulary", "source", "entered_by").order_by(
                    "theme__vocabulary__name", "theme__name"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def recommendation_with_details(pk: int) -> Recommendation | None:
    """A recommendation loaded as the serialisers need it (``with_details``)."""
    return Recommendation.objects.with_details().filter(pk=pk).first()


def vocabularies() -> QuerySet[Vocabulary]:
    return Vocabulary.objects.all()


def themes(*, vocabulary: str | None = None) -> QuerySet[Theme]:
    """Themes by vocabulary slug then name, optionally of one vocabulary (slug)."""
    themes = Theme.objects.select_related("vocabulary").order_by("vocabulary__slug", "name")
    return themes.filter(vocabulary__slug=vocabulary) if vocabulary else themes


# --- machine suggestions (stored with the data; made by uprhub.classifier) ---------------------


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def pending_for(recommendation: Recommendation) -> list[Suggestion]:
    """A recommendation's pending suggestions, plus accepted action suggestions (their
    provenance: who accepted the category, and when), best first."""
    return list(
        Suggestion.objects.for_recommendation(recommendation.pk).filter(
            Q(status=SuggestionStatus.PENDING)
            | Q(status=SuggestionStatus.ACCEPTED, kind=SuggestionKind.ACTION)
        )
    )


def pending_by_recommendation(recommendation_ids: Iterable[int]) -> dict[int, list[Suggestion]]:
    """Pending suggestions of many recommendations in one query per 500 ids, best first.

    For lists and API pages: accepted and rejected ones are not suggestions any more.
    """
    found: dict[int, list[Suggestion]] = {}
    ids = sorted(set(recommendation_ids))
    for chunk in _chunks(ids, 500):  # short IN lists on SQLite too
        for suggestion in (
            Suggestion.objects.pending()
            .filter(recommendation_id__in=chunk)
            .select_related("theme")
            .order_by("recommendation_id", "kind", "-score", "pk")
        ):
            found.setdefault(suggestion.recommendation_id, []).append(suggestion)
    return found


def accepted_action_categories(recommendation_ids: Iterable[int]) -> dict[int, int]:
    """The action category a member accepted for each of these recommendations (if any).

    Importers use it so a file without an Action keeps the member's category instead of
    clearing it (and counting the recommendation as updated). The latest decision wins.
    """
    accepted: dict[int, int] = {}
    ids = sorted(set(recommendation_ids))
    for chunk in _chunks(ids, 500):  # short IN lists on SQLite too
        for rec_id, category in (
            Suggestion.objects.filter(
                recommendation_id__in=chunk,
                kind=SuggestionKind.ACTION,
                status=SuggestionStatus.ACCEPTED,
            )
            .order_by("decided_at", "pk")
            .values_list("recommendation_id", "action_category")
        ):
            if category is not None:  # always set on an action suggestion (check constraint)
                accepted[rec_id] = category
    return accepted
