"""Reads of recommendations and their vocabularies for the pages and the API, the statistics
the State pages and the home page show, and the machine suggestions stored with the data.

Searching is not here: it is the search layer's (``uprhub.search.service``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from uprhub.core.translations import sorted_by_name
from uprhub.reviews.models import RegionalGroup, Review, State, StateKind

from .models import (
    ActionCategory,
    Label,
    Position,
    Recommendation,
    RecommendingState,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    Theme,
    Vocabulary,
    VoluntaryPledge,
)
from .theme_names import theme_name, vocabulary_name


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


# --- the State pages and the home page: what a State received and made ----------------------
# Every function here runs a small, fixed number of queries whatever the number of reviews or
# recommendations: totals are aggregated in the database with values() + annotate() and then
# distributed to the reviews in Python.

#: The State the home page features (the project started with the United States' reviews).
FEATURED_STATE_CODE = "USA"

#: How many themes of each vocabulary a review's "top themes" shows.
TOP_THEMES = 8

_POSITION_ORDER = [value for value, _label in Position.choices]
_POSITION_LABELS = dict(Position.choices)
_CATEGORY_LABELS = dict(ActionCategory.choices)
_REGION_LABELS = dict(RegionalGroup.choices)


@dataclass
class Bar:
    """One row of a chart and of its table: a value (for links), its label and its count."""

    value: str
    label: str
    count: int
    percent: float = 0.0  # share of the review's recommendations
    width: float = 0.0  # bar length, relative to the longest bar of the chart


@dataclass
class Breakdown:
    """The numbers behind one chart, largest share first or in the vocabulary's own order."""

    bars: list[Bar] = field(default_factory=list)
    # What the percentages are shares of (recommendations of the review, usually).
    total: int = 0

    def finish(self, total: int) -> Breakdown:
        self.total = total
        longest = max((bar.count for bar in self.bars), default=0)
        for bar in self.bars:
            bar.percent = round(100 * bar.count / total, 1) if total else 0.0
            bar.width = round(100 * bar.count / longest, 1) if longest else 0.0
        return self

    @property
    def informative(self) -> bool:
        """False when every bar is "unknown" (e.g. a source without action categories)."""
        return any(bar.value for bar in self.bars)

    def __bool__(self) -> bool:
        return bool(self.bars)


@dataclass
class ThemeBar(Bar):
    theme_id: int = 0


@dataclass
class VocabularyThemes:
    vocabulary: str
    breakdown: Breakdown


@dataclass
class ReviewSummary:
    review: Review
    recommendations: int = 0
    pledges: int = 0
    positions: Breakdown = field(default_factory=Breakdown)
    categories: Breakdown = field(default_factory=Breakdown)
    # Recommendations with at least one recommending State of each regional group.
    regions: Breakdown = field(default_factory=Breakdown)
    themes: list[VocabularyThemes] = field(default_factory=list)

    def count_for(self, position: str) -> int:
        return next((b.count for b in self.positions.bars if b.value == position), 0)

    @property
    def supported(self) -> int:
        return self.count_for(Position.SUPPORTED)

    @property
    def supported_in_part(self) -> int:
        return self.count_for(Position.SUPPORTED_IN_PART)

    @property
    def noted(self) -> int:
        return self.count_for(Position.NOTED)

    @property
    def other(self) -> int:
        return self.recommendations - self.supported - self.supported_in_part - self.noted


@dataclass
class StateOverview:
    state: State
    # Latest review first: advocates usually prepare the next one.
    reviews: list[ReviewSummary]
    recommendations_made: int = 0

    @property
    def recommendations_received(self) -> int:
        return sum(r.recommendations for r in self.reviews)


def featured_state() -> State | None:
    """The State the home page features, with its counts and its reviews (each annotated with
    ``recommendation_count``); two queries."""
    reviews = (
        Review.objects.select_related("session")
        .annotate(recommendation_count=Count("recommendations"))
        .order_by("session__number")
    )
    return (
        _with_counts(State.objects.filter(code=FEATURED_STATE_CODE))
        .prefetch_related(Prefetch("reviews", reviews, to_attr="review_list"))
        .first()
    )


def reviews_with_counts(*, state: str | None = None, cycle: int | None = None) -> QuerySet[Review]:
    """Reviews with their State and session loaded and ``n_recommendations`` annotated,
    optionally of one State (code, any case) or one cycle; the API lists and pages them."""
    reviews = Review.objects.select_related("state", "session").annotate(
        n_recommendations=Count("recommendations")
    )
    if state:
        reviews = reviews.filter(state__code=state.upper())
    if cycle:
        reviews = reviews.filter(session__cycle_id=cycle)
    return reviews


def states_with_counts() -> list[State]:
    """States that have been reviewed, each annotated with ``review_count`` and
    ``recommendation_count``, in the alphabetical order of the active language; one query."""
    return sorted_by_name(_with_counts(State.objects.filter(reviews__isnull=False)))


def _with_counts(states: QuerySet[State]) -> QuerySet[State]:
    return states.annotate(
        review_count=Count("reviews", distinct=True),
        recommendation_count=Count("reviews__recommendations", distinct=True),
    )


def state_overview(code: str) -> StateOverview | None:
    """Everything the State page shows, in eight queries; ``None`` for an unknown code."""
    state = State.objects.filter(code=code.upper()).first()
    if state is None:
        return None
    reviews = list(
        Review.objects.filter(state=state)
        .select_related("session__cycle")
        .order_by("-session__number")
    )
    summaries = {review.pk: ReviewSummary(review=review) for review in reviews}
    recommendations = Recommendation.objects.filter(review__state=state)

    for row in recommendations.values("review_id", "position").annotate(n=Count("id")):
        summary = summaries[row["review_id"]]
        summary.recommendations += row["n"]
        summary.positions.bars.append(
            Bar(
                row["position"],
                str(_POSITION_LABELS.get(row["position"], row["position"])),
                row["n"],
            )
        )
    for cat_row in (
        recommendations.values("review_id", "action_category")
        .annotate(n=Count("id"))
        .order_by("review_id", "action_category")
    ):
        category = cat_row["action_category"]
        summaries[cat_row["review_id"]].categories.bars.append(
            Bar(
                str(category) if category else "",
                str(_CATEGORY_LABELS[category]) if category else _no_category_label(),
                cat_row["n"],
            )
        )
    for region_row in (
        RecommendingState.objects.filter(recommendation__review__state=state)
        .values("recommendation__review_id", "state__regional_group")
        .annotate(n=Count("recommendation_id", distinct=True))
        .order_by("recommendation__review_id", "state__regional_group")
    ):
        region = region_row["state__regional_group"]
        summaries[region_row["recommendation__review_id"]].regions.bars.append(
            Bar(region, str(_REGION_LABELS.get(region, _no_region_label())), region_row["n"])
        )
    # Theme and vocabulary names in the visitor's language (the order stays the English one).
    themes: dict[int, dict[str, list[ThemeBar]]] = defaultdict(lambda: defaultdict(list))
    for label_row in (
        Label.objects.filter(recommendation__review__state=state)
        .values(
            "recommendation__review_id",
            "theme_id",
            "theme__name",
            "theme__vocabulary__name",
            "theme__vocabulary__slug",
        )
        .annotate(n=Count("recommendation_id", distinct=True))
        .order_by("recommendation__review_id", "theme__vocabulary__name", "-n", "theme__name")
    ):
        by_vocabulary = themes[label_row["recommendation__review_id"]]
        theme_id = label_row["theme_id"]
        slug = label_row["theme__vocabulary__slug"]
        by_vocabulary[vocabulary_name(slug, label_row["theme__vocabulary__name"])].append(
            ThemeBar(
                str(theme_id),
                theme_name(label_row["theme__name"], slug),
                label_row["n"],
                theme_id=theme_id,
            )
        )
    for pledge_row in (
        VoluntaryPledge.objects.filter(review__state=state)
        .values("review_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        summaries[pledge_row["review_id"]].pledges = pledge_row["n"]

    for pk, summary in summaries.items():
        total = summary.recommendations
        summary.positions.bars.sort(key=lambda b: _position_rank(b.value))
        summary.positions.finish(total)
        summary.categories.finish(total)
        summary.regions.bars.sort(key=lambda b: -b.count)
        summary.regions.finish(total)
        summary.themes = [
            VocabularyThemes(name, Breakdown(list(bars[:TOP_THEMES])).finish(total))
            for name, bars in themes.get(pk, {}).items()
        ]

    made = 0
    if state.kind != StateKind.UNKNOWN:
        made = Recommendation.objects.filter(recommenders__state=state).count()
    return StateOverview(state=state, reviews=list(summaries.values()), recommendations_made=made)


def _position_rank(value: str) -> int:
    return _POSITION_ORDER.index(value) if value in _POSITION_ORDER else len(_POSITION_ORDER)


def _no_category_label() -> str:
    return gettext("Not categorised")


def _no_region_label() -> str:
    return gettext("No regional group")
