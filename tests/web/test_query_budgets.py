"""Query budgets: pages must not run more queries as the data grows.

Each page is measured at two data sizes; the budget is the same for both.

* State page: 11 — State, reviews, then one aggregate each for positions, action categories,
  recommending regions, themes and voluntary pledges, and the count of recommendations the
  State made; then its next stakeholder deadline (3: reviews, sessions of the estimated next
  cycle, stored deadlines). It does not grow with the number of reviews.
* Explorer, warm: 7 — the search layer's data-version check, the full-text match (text mode
  only; cached across pages and facet changes), then the page of results with ``with_details()``
  (recommendations, recommending States, labels, themes, vocabularies).
* Explorer, cold (first request after the data changed): 14 — the above plus the seven reads
  that rebuild the in-memory facet index.
* Recommendation page: 12 — the recommendation and its prefetches (3), then ``similar()``.
* Home: 9 (featured State, State list, its next deadline and its next stakeholder deadline,
  3 each); State list: 1.

Follow-up's panels (uprhub/followup/panels.py, through uprhub/recommendations/panels.py) add a
fixed number: on the recommendation page 2 (its links to earlier and later cycles, and whether
an earlier cycle exists; a third for published grades when it has earlier ones), on the State
page 5 (recommendations by cycle, links, published positions, labels, theme equivalences).

Each budget is one higher for the public pages' cache (uprhub/core/pagecache.py): a miss reads
the data version for its key before the page is built (a hit costs that one read only).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.web.factories import make_web_data
from uprhub.search import service

pytestmark = pytest.mark.django_db

PAGE_CACHE_KEY = 1  # the data-version read of the page cache
FOLLOWUP_STATE_PANEL = 5
FOLLOWUP_DETAIL_PANEL = 2
STATE_PAGE_BUDGET = 11 + PAGE_CACHE_KEY + FOLLOWUP_STATE_PANEL
STATE_LIST_BUDGET = 1 + PAGE_CACHE_KEY
HOME_BUDGET = 9 + PAGE_CACHE_KEY  # featured State, State list, 2 × 3 for its deadlines
EXPLORER_BUDGET = 7 + PAGE_CACHE_KEY
EXPLORER_COLD_BUDGET = 14 + PAGE_CACHE_KEY
DETAIL_BUDGET = 12 + PAGE_CACHE_KEY + FOLLOWUP_DETAIL_PANEL

EXPLORER_PARAMS = [
    {},
    {"q": "torture"},
    {"position": "noted", "cycle": "3"},
    {"q": "rights", "page": "2"},
    # "women" is replaced by that theme's id (ids differ between runs and databases).
    {"q": "rights", "recommending_region": "Africa", "theme": "women", "sort": "-date"},
]


@pytest.fixture(params=[20, 120], ids=["small", "large"])
def data(db, request):
    return make_web_data(extra=request.param)


def test_state_page_budget(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(STATE_PAGE_BUDGET):
        response = client.get(reverse("reviews:state", args=["USA"]))
    assert response.status_code == 200
    # The budget holds for the whole page: the State and all its reviews are on it.
    overview = response.context["overview"]
    assert overview.state.short_name == "United States"
    assert len(overview.reviews) == 3
    assert overview.recommendations_received == sum(
        1 for r in data.recommendations if r.review.state.code == "USA"
    )


def test_state_list_budget(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(STATE_LIST_BUDGET):
        response = client.get(reverse("reviews:state_list"))
        assert response.status_code == 200
        assert [s.code for s in response.context["states"]] == ["USA"]


def test_home_budget(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(HOME_BUDGET):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "United States" in response.content.decode()


@pytest.mark.parametrize("params", EXPLORER_PARAMS)
def test_explorer_budget(client, data, params, django_assert_max_num_queries):
    # Load the facet index for this data (another URL: the measured page must not be cached).
    client.get(reverse("recommendations:explorer"), {"warm": "1"})
    if params.get("theme") == "women":
        params = {**params, "theme": str(data.women.pk)}
    with django_assert_max_num_queries(EXPLORER_BUDGET):
        response = client.get(reverse("recommendations:explorer"), params)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    # Within budget *and* the same page the search layer computes (not an empty or error page).
    result = response.context["result"]
    expected = service.search(response.context["query"])
    assert result.total == expected.total > 0
    assert [hit.id for hit in result.hits] == [hit.id for hit in expected.hits]
    html = response.content.decode()
    assert all(f'href="{hit.recommendation.get_absolute_url()}"' in html for hit in result.hits)


def test_explorer_cold_budget(client, data, django_assert_max_num_queries):
    if hasattr(service, "clear_caches"):
        service.clear_caches()
    with django_assert_max_num_queries(EXPLORER_COLD_BUDGET):
        response = client.get(reverse("recommendations:explorer"), {"q": "torture", "cycle": "3"})
    assert response.status_code == 200
    hits = response.context["result"].hits
    assert hits and all(hit.recommendation.review.session.cycle_id == 3 for hit in hits)


def test_detail_budget(client, data, django_assert_max_num_queries):
    rec = data.recommendations[2]
    with django_assert_max_num_queries(DETAIL_BUDGET):
        response = client.get(rec.get_absolute_url())
        assert response.status_code == 200
    assert response.context["recommendation"] == rec
    assert escape(rec.text) in response.content.decode()
