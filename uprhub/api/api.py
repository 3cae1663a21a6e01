"""Read-only REST API (OpenAPI at /api/openapi.json, interactive docs at /api/docs).

Every endpoint calls the same selectors and search service as the web pages and the CLI.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger, _csrf_needed
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from uprhub.consultations import exporting as consultation_exports
from uprhub.consultations import selectors as consultations
from uprhub.consultations.models import Consultation
from uprhub.core.rules import has_perm
from uprhub.followup.api import router as followup_router
from uprhub.recommendations import selectors as recommendations
from uprhub.recommendations.models import Theme
from uprhub.reports.api import router as reports_router
from uprhub.reviews import selectors as reviews
from uprhub.reviews.models import Review
from uprhub.search import service
from uprhub.search.request import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_TEXT,
    SearchRequestError,
    parse_search_request,
)
from uprhub.search.serializers import recommendations_to_dicts, result_to_dict
from uprhub.search.types import SORTS


class LocalSwagger(Swagger):
    """Swagger UI from the local template and assets (settings/base.py adds ninja's folders).

    django-ninja renders the local page only when "ninja" is an installed app, and falls back to
    a CDN otherwise; it is not an installed app here, to keep it out of every command's start-up.
    """

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    docs=LocalSwagger(),
    title="UPR Hub API",
    version="1",
    description="Read-only access to UPR recommendations, States and reviews, and (for "
    "members) the approved, anonymised testimony of community consultations.",
    urls_namespace="api",
)
api.add_router("/reports", reports_router)
api.add_router("/followup", followup_router)


class Pagination(PageNumberPagination):
    class Input(Schema):
        page: int = 1
        page_size: int = 50

    def paginate_queryset(self, queryset, pagination: Input, **params):
        pagination.page = max(1, pagination.page)
        pagination.page_size = min(max(1, pagination.page_size), 500)
        self.page_size = pagination.page_size
        return super().paginate_queryset(queryset, pagination, **params)


class StateOut(Schema):
    code: str
    iso3: str
    un_name: str
    short_name: str
    regional_group: str
    kind: str


class ReviewOut(Schema):
    id: int
    state: str
    session: int
    cycle: int
    review_date: date | None
    national_report_symbol: str
    compilation_symbol: str
    stakeholder_summary_symbol: str
    wg_report_symbol: str
    responses_symbol: str
    recommendations: int

    @staticmethod
    def resolve_state(obj: Review) -> str:
        return obj.state.code

    @staticmethod
    def resolve_cycle(obj: Review) -> int:
        return obj.session.cycle_id

    @staticmethod
    def resolve_session(obj: Review) -> int:
        return obj.session_id

    @staticmethod
    def resolve_recommendations(obj: Review) -> int:
        return getattr(obj, "n_recommendations", 0)


class StateDetailOut(StateOut):
    reviews: list[ReviewOut]


class RecommendingStateOut(Schema):
    code: str
    name: str
    regional_group: str


class ThemeRefOut(Schema):
    id: int
    name: str
    vocabulary: str


class SuggestionOut(Schema):
    """A pending machine suggestion: not a label until a member accepts it."""

    kind: str = Field(description='"issue" (a UPR Info issue) or "action" (action category).')
    value: int = Field(description="The theme id (issue) or the action category 1-5 (action).")
    label: str
    score: float = Field(description="The model's calibrated confidence, from 0 to 1.")
    model_version: str
    created_at: str


class RecommendationOut(Schema):
    id: int
    text: str
    state: str
    state_name: str
    recommending_states: list[RecommendingStateOut]
    position: str
    position_as_published: str
    cycle: int
    session: int
    review_date: str | None
    paragraph: str | None
    themes: list[ThemeRefOut]
    action_category: int | None
    url: str
    suggestions: list[SuggestionOut] = Field(
        description="Pending machine suggestions, apart from the labels in themes and "
        "action_category."
    )


class HitOut(RecommendationOut):
    snippet: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool
    group: str | None = None


class SearchSuggestionOut(Schema):
    """Another query to try, given when a search finds nothing."""

    kind: str = Field(description='"spelling", "broader" (fewer words), "filters" or "theme".')
    label: str
    count: int = Field(description="How many recommendations it finds.")
    description: str
    params: list[tuple[str, str]] = Field(description="The query's parameters, to send again.")


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    also_searched: list[str] = Field(
        [], description="English terms searched besides the words (synonyms, translations)."
    )
    themes_included: list[str] = Field(
        [], description="Themes named by the words whose labelled recommendations are included."
    )
    suggestions: list[SearchSuggestionOut] = Field(
        [], description="When nothing matches: a spelling, fewer words, no filters, a theme."
    )


class RecommendationDetailOut(RecommendationOut):
    similar: list[RecommendationOut]


class SearchParams(Schema):
    """Documents the search parameters; they are read and checked by the same parser as the
    explorer and the CLI (``uprhub.search.request``), so they are declared as plain strings
    here and an invalid value is a 422 with that parser's message."""

    q: str = Field("", description=f"Words to search for, at most {MAX_TEXT} characters.")
    state: list[str] = Field([], description="Code of the State under review (repeatable).")
    recommending_state: list[str] = Field([], description="Code of a recommending State.")
    region: list[str] = Field([], description="Regional group of the State under review.")
    recommending_region: list[str] = Field([], description="Regional group of a recommender.")
    cycle: list[str] = Field([], description="Cycle number (whole number, repeatable).")
    session: list[str] = Field([], description="Working Group session number (whole number).")
    position: list[str] = Field([], description="supported, noted, …")
    action_category: list[str] = Field([], description="Action category, 1 to 5.")
    theme: list[str] = Field([], description="Theme id (whole number, repeatable).")
    sort: str = Field("relevance", description="One of: " + ", ".join(SORTS) + ".")
    page: str = Field("1", description=f"Page number; brought into 1..{MAX_PAGE}.")
    page_size: str = Field("20", description=f"Results per page, 1 to {MAX_PAGE_SIZE}.")
    literal: str = Field(
        "", description="1: the words as typed, without synonyms, translations or themes."
    )


class VocabularyOut(Schema):
    slug: str
    name: str
    kind: str
    version: str


class ThemeOut(Schema):
    id: int
    code: str
    name: str
    vocabulary: str

    @staticmethod
    def resolve_vocabulary(obj: Theme) -> str:
        return obj.vocabulary.slug


@api.get("/recommendations", response=SearchOut, tags=["recommendations"])
def search_recommendations(request: HttpRequest, params: Query[SearchParams]):
    """Full-text search with filters and facet counts (the explorer's data)."""
    try:
        query = parse_search_request(request.GET, source="api")
    except SearchRequestError as error:
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", field], "msg": message}
                for field, messages in error.errors.items()
                for message in messages
            ]
        ) from error
    return result_to_dict(service.search(query, suggest_when_empty=True))


@api.get("/recommendations/{rec_id}", response=RecommendationDetailOut, tags=["recommendations"])
def get_recommendation(request: HttpRequest, rec_id: int):
    rec = recommendations.recommendation_with_details(rec_id)
    if rec is None:
        raise Http404
    similar = [hit.recommendation for hit in service.similar(rec)]
    data, *similar_data = recommendations_to_dicts([rec, *similar])  # one suggestions query
    data["similar"] = similar_data
    return data


@api.get("/states", response=list[StateOut], tags=["states"])
@paginate(Pagination)
def list_states(request: HttpRequest, under_review: bool = False):
    return reviews.states(under_review=under_review)


@api.get("/states/{code}", response=StateDetailOut, tags=["states"])
def get_state(request: HttpRequest, code: str):
    state = reviews.state_by_code(code)
    if state is None:
        raise Http404
    state.reviews_list = list(
        recommendations.reviews_with_counts(state=state.code).order_by("session__number")
    )
    return {**StateOut.from_orm(state).dict(), "reviews": state.reviews_list}


@api.get("/reviews", response=list[ReviewOut], tags=["reviews"])
@paginate(Pagination)
def list_reviews(request: HttpRequest, state: str | None = None, cycle: int | None = None):
    return recommendations.reviews_with_counts(state=state, cycle=cycle).order_by(
        "session__number", "state__short_name"
    )


@api.get("/reviews/{review_id}", response=ReviewOut, tags=["reviews"])
def get_review(request: HttpRequest, review_id: int):
    review = recommendations.reviews_with_counts().filter(pk=review_id).first()
    if review is None:
        raise Http404
    return review


@api.get("/vocabularies", response=list[VocabularyOut], tags=["themes"])
def list_vocabularies(request: HttpRequest):
    return recommendations.vocabularies()


@api.get("/themes", response=list[ThemeOut], tags=["themes"])
@paginate(Pagination)
def list_themes(request: HttpRequest, vocabulary: str | None = None):
    return recommendations.themes(vocabulary=vocabulary)


# --- consultations ("Listen"): approved, anonymised testimony, for members ------------------


class ConsultationOut(Schema):
    slug: str
    title: str
    place: str
    state: str = Field(description="ISO 3166-1 alpha-3 code of the State under review.")
    session: int
    cycle: int
    languages: list[str]
    opens_at: str | None
    closes_at: str | None
    participants: int = Field(
        description="Testimonies counted (all but rejected and withdrawn ones), whether or not "
        "they may be shown."
    )
    items: int = Field(description="Approved testimonies listed by …/items.")


class ConsultationItemOut(Schema):
    """One approved testimony, anonymised: the redacted text, never who gave it."""

    id: int
    text: str = Field(description="The text with personal data redacted.")
    language: str
    quote_anonymously: bool
    quote_named: bool = Field(
        description="The person agreed to be quoted by name; UPR Hub never gives the name."
    )
    may_contact: bool
    risk: bool = Field(description="Always false here: risk-flagged testimony is never listed.")
    status: str
    themes: list[str] = Field(description="UPR Info issues a moderator confirmed.")
    suggested_themes: list[str] = Field(description="Machine suggestions not yet confirmed.")
    recommendations: list[str] = Field(
        description="Paragraph numbers (26.178) of the State's past recommendations linked by a "
        "moderator."
    )
    suggested_recommendations: list[str]
    created_at: str


class _ItemPages:
    """The listed testimonies for the paginator: it counts the query and slices it; each
    slice becomes export dicts (one query for the page's tags)."""

    def __init__(self, testimonies: Any) -> None:
        self.testimonies = testimonies

    def all(self) -> Any:
        return self.testimonies.all()

    def __len__(self) -> int:
        return self.testimonies.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [consultation_exports.item_dict(t) for t in self.testimonies[window]]


def _readable_consultation(request: HttpRequest, slug: str) -> Consultation:
    """The consultation if the signed-in person may read its results (django_auth has already
    answered 401 to anyone not signed in); 404 or 403 otherwise."""
    consultation = consultations.consultation_by_slug(slug)
    if not has_perm(request.user, "consultations.view_results", consultation):
        raise HttpError(403, gettext("You may not read this consultation’s results."))
    return consultation


@api.get(
    "/consultations/{slug}", response=ConsultationOut, tags=["consultations"], auth=django_auth
)
def get_consultation(request: HttpRequest, slug: str):
    """A consultation and its counts (members and up, and the people who run it)."""
    consultation = _readable_consultation(request, slug)
    data = consultation_exports.consultation_dict(consultation)
    data.pop("exported_at")
    data["items"] = consultation_exports.public_items(consultation).count()
    return data


@api.get(
    "/consultations/{slug}/items",
    response=list[ConsultationItemOut],
    tags=["consultations"],
    auth=django_auth,
)
@paginate(Pagination)
def list_consultation_items(request: HttpRequest, slug: str):
    """Approved testimony that may be shown (not risk-flagged), anonymised, oldest first."""
    consultation = _readable_consultation(request, slug)
    return _ItemPages(consultation_exports.public_items(consultation))
