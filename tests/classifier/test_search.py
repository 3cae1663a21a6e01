"""Search facets and filters with and without pending machine suggestions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.search.factories import Corpus, make_corpus
from uprhub.recommendations.models import Suggestion, SuggestionStatus
from uprhub.search import service
from uprhub.search.types import SearchQuery

pytestmark = pytest.mark.django_db

DP = "Death penalty"


@pytest.fixture
def corpus(fresh_search) -> Corpus:
    corpus = make_corpus()
    recs = corpus.by_paragraph
    # 2.2 (no label): a pending Death penalty suggestion, and a rejected Women's rights one.
    Suggestion.objects.create(
        recommendation=recs["2.2"],
        kind="issue",
        theme_id=corpus.themes[DP],
        score=0.8,
        model_version="test-1",
    )
    Suggestion.objects.create(
        recommendation=recs["2.2"],
        kind="issue",
        theme_id=corpus.themes["Women's rights"],
        score=0.6,
        model_version="test-1",
        status=SuggestionStatus.REJECTED,
    )
    # 3.2 has no action category: a pending suggestion of 3; 1.1 (category 5) one of 1.
    Suggestion.objects.create(
        recommendation=recs["3.2"],
        kind="action",
        action_category=3,
        score=0.9,
        model_version="test-1",
    )
    Suggestion.objects.create(
        recommendation=recs["1.1"],
        kind="action",
        action_category=1,
        score=0.9,
        model_version="test-1",
    )
    return corpus


def _count(result, facet: str, value) -> int:
    return next((v.count for v in result.facets[facet].values if v.value == str(value)), 0)


def _found(corpus: Corpus, **query) -> list[str]:
    result = service.search(SearchQuery(sort="paragraph", page_size=100, **query))
    return sorted(corpus.paragraphs([h.id for h in result.hits]))


def test_without_suggestions_only_labels_count(corpus):
    result = service.search(SearchQuery())
    assert _count(result, "theme", corpus.themes[DP]) == 2
    assert _count(result, "action_category", 3) == 1
    assert _found(corpus, theme=(corpus.themes[DP],)) == ["1.1", "1.2"]
    assert _found(corpus, action_category=(3,)) == ["2.1"]


def test_with_suggestions_pending_ones_count_too(corpus):
    result = service.search(SearchQuery(suggestions=True))
    assert _count(result, "theme", corpus.themes[DP]) == 3
    # rejected suggestions never count
    assert _count(result, "theme", corpus.themes["Women's rights"]) == 2
    # a suggested category fills a gap but never replaces a recorded one (1.1 stays 5)
    assert _count(result, "action_category", 3) == 2
    assert _count(result, "action_category", 1) == 1
    assert _count(result, "action_category", 5) == 3
    assert _found(corpus, theme=(corpus.themes[DP],), suggestions=True) == ["1.1", "1.2", "2.2"]
    assert _found(corpus, action_category=(3,), suggestions=True) == ["2.1", "3.2"]
    assert _found(corpus, text="torture", theme=(corpus.themes[DP],), suggestions=True) == ["2.2"]
    # and the plain search is unchanged afterwards
    assert _found(corpus, theme=(corpus.themes[DP],)) == ["1.1", "1.2"]


def test_a_decision_shows_in_the_next_search(corpus):
    assert _found(corpus, theme=(corpus.themes[DP],), suggestions=True) == ["1.1", "1.2", "2.2"]
    Suggestion.objects.filter(kind="issue", status="pending").update(status="rejected")
    assert _found(corpus, theme=(corpus.themes[DP],), suggestions=True) == ["1.1", "1.2"]


def test_query_counts_without_suggestions_are_unchanged(corpus):
    service.search(SearchQuery())  # warm the index
    with CaptureQueriesContext(connection) as plain:
        service.search(SearchQuery(cycle=(2,), sort="date"))
    assert not any("classifier_suggestion" in q["sql"] for q in plain.captured_queries)
    with CaptureQueriesContext(connection) as cold:
        service.search(SearchQuery(cycle=(2,), sort="date", suggestions=True))
    assert len(cold.captured_queries) == len(plain.captured_queries) + 2
    with CaptureQueriesContext(connection) as warm:
        service.search(SearchQuery(cycle=(2,), sort="date", suggestions=True))
    assert len(warm.captured_queries) == len(plain.captured_queries)


def test_url_parameters():
    assert service.query_from_params({"suggestions": "1"}).suggestions
    assert service.query_from_params({"suggestions": "on"}).suggestions
    assert not service.query_from_params({"suggestions": "0"}).suggestions
    assert not service.query_from_params({}).suggestions
    query = SearchQuery(text="torture", suggestions=True)
    assert ("suggestions", "1") in service.query_to_params(query)
    assert "suggestions" not in dict(service.query_to_params(SearchQuery(text="torture")))


def test_explorer_has_a_labelled_checkbox(client, corpus):
    page = client.get(reverse("recommendations:explorer")).content.decode()
    assert 'name="suggestions"' in page and "Include machine suggestions" in page
    assert 'id="f-suggestions" name="suggestions" value="1" aria-describedby' in page
    checked = client.get(reverse("recommendations:explorer"), {"suggestions": "1"})
    assert 'value="1" aria-describedby="f-suggestions-hint" checked' in checked.content.decode()
