"""Reads of recommendations and their vocabularies for the pages and the API.

Searching is not here: it is the search layer's (``uprhub.search.service``).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Label, Recommendation, RecommendingState, Theme, Vocabulary


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
