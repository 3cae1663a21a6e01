"""Pending machine suggestions in the API (and `uprhub search`): a separate `suggestions` field."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import RecommendationFactory, ReviewFactory, StateFactory, ThemeFactory
from uprhub.recommendations.models import Suggestion, SuggestionKind, SuggestionStatus
from uprhub.search import service

pytestmark = pytest.mark.django_db

FIELDS = {"kind", "value", "label", "score", "model_version", "created_at"}


@pytest.fixture
def data():
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    dp = ThemeFactory(name="Death penalty")
    women = ThemeFactory(vocabulary=dp.vocabulary, name="Women's rights")
    pending = RecommendationFactory(
        review=review, text="Abolish the death penalty", action_category=None
    )
    decided = RecommendationFactory(
        review=review, text="Consider abolishing the death penalty", action_category=None
    )
    plain = RecommendationFactory(review=review, text="Ratify the death penalty protocol")
    Suggestion.objects.create(
        recommendation=pending, kind="issue", theme=dp, score=0.9, model_version="m-1"
    )
    Suggestion.objects.create(
        recommendation=pending, kind="action", action_category=5, score=0.8, model_version="m-1"
    )
    when = timezone.now()
    for status, theme in ((SuggestionStatus.ACCEPTED, dp), (SuggestionStatus.REJECTED, women)):
        Suggestion.objects.create(
            recommendation=decided,
            kind=SuggestionKind.ISSUE,
            theme=theme,
            score=0.7,
            model_version="m-1",
            status=status,
            decided_at=when,
        )
    service.clear_caches()
    return {"pending": pending, "decided": decided, "plain": plain, "dp": dp}


def _by_id(body: dict) -> dict[int, dict]:
    return {r["id"]: r for r in body["results"]}


def test_search_results_carry_pending_suggestions_apart(client, data):
    body = client.get("/api/recommendations", {"q": "death penalty"}).json()
    results = _by_id(body)
    suggestions = results[data["pending"].pk]["suggestions"]
    assert [set(s) for s in suggestions] == [FIELDS, FIELDS]
    issue = next(s for s in suggestions if s["kind"] == "issue")
    action = next(s for s in suggestions if s["kind"] == "action")
    assert (issue["value"], issue["label"], issue["score"]) == (data["dp"].pk, "Death penalty", 0.9)
    assert (action["value"], action["label"]) == (5, "5 — Specific action")
    assert action["model_version"] == "m-1" and action["created_at"]
    # the label fields are untouched by suggestions
    assert results[data["pending"].pk]["themes"] == []
    assert results[data["pending"].pk]["action_category"] is None
    # accepted and rejected suggestions are not pending ones
    assert results[data["decided"].pk]["suggestions"] == []
    assert results[data["plain"].pk]["suggestions"] == []


def test_detail_and_similar_carry_suggestions(client, data):
    body = client.get(f"/api/recommendations/{data['pending'].pk}").json()
    assert {s["kind"] for s in body["suggestions"]} == {"issue", "action"}
    for similar in body["similar"]:
        assert "suggestions" in similar
    plain = client.get(f"/api/recommendations/{data['plain'].pk}").json()
    assert plain["suggestions"] == []


def test_openapi_documents_the_field(client):
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "suggestions" in schema["RecommendationOut"]["properties"]
    assert set(schema["SuggestionOut"]["properties"]) == FIELDS


def test_suggestions_cost_one_query_per_page(client, data):
    review = data["pending"].review
    for n in range(30):
        rec = RecommendationFactory(review=review, text=f"Abolish the death penalty {n}")
        Suggestion.objects.create(
            recommendation=rec, kind="issue", theme=data["dp"], score=0.5, model_version="m-1"
        )
    service.clear_caches()
    client.get("/api/recommendations")  # load the search layer's facet index

    def queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/recommendations", {"page_size": size}).json()
        assert len(body["results"]) == size
        return len(captured)

    assert queries(30) == queries(3)


def test_cli_json_and_csv_have_the_suggestions(data):
    out = io.StringIO()
    call_command("search", "abolish", "--format", "json", stdout=out)
    body = json.loads(out.getvalue())
    assert _by_id(body)[data["pending"].pk]["suggestions"]
    out = io.StringIO()
    call_command("search", "--limit", "10", "--format", "csv", stdout=out)
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    pending = rows[data["pending"].pk]
    assert pending["suggested_issues"] == "Death penalty"
    assert pending["suggested_action_category"] == "5"
    assert pending["suggestion_model_version"] == "m-1"
    assert pending["action_category"] == "" and pending["themes"] == ""
    decided = rows[data["decided"].pk]
    assert decided["suggested_issues"] == decided["suggested_action_category"] == ""
