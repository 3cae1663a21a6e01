"""The web pages of the "Know" capability: status, content, escaping, empty states, URLs."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from uprhub.search import service
from uprhub.search.types import SearchQuery

pytestmark = pytest.mark.django_db

EXPLORER = reverse("recommendations:explorer")


def result_total(response) -> int:
    return response.context["result"].total


# Home --------------------------------------------------------------------------------------


def test_home_explains_the_upr_and_features_the_united_states(client, web_data):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What is the UPR?" in html
    assert 'id="glossary"' in html
    assert "Featured: United States" in html
    assert 'href="/states/USA/"' in html
    # The State picker lists reviewed States, the featured one pre-selected.
    assert '<option value="USA" selected>United States</option>' in html
    assert '<option value="FRA"' not in html  # France has no review in this data set
    assert "7 recommendations made to United States" in html


def test_home_works_on_an_empty_database(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert "Featured" not in response.content.decode()


def test_base_layout_has_landmarks_skip_link_and_language_switcher(client, db):
    html = client.get(reverse("core:home")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<header class="site-header">' in html
    assert '<footer class="site-footer">' in html
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' not in html  # the switcher needs none: pages stay cacheable
    assert 'aria-current="page"' in html
    assert '<html lang="en"' in html


def test_language_switch_translates_lang_attribute(client, db):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="fr"' in html


def test_state_picker_redirects_to_the_state_page(client, web_data):
    response = client.get(reverse("reviews:state_list"), {"code": "usa"})
    assert response.status_code == 302
    assert response["Location"] == "/states/USA/"


# Explorer ----------------------------------------------------------------------------------


def test_explorer_lists_everything_with_facets(client, web_data):
    response = client.get(EXPLORER)
    assert response.status_code == 200
    assert result_total(response) == 7
    html = response.content.decode()
    assert 'role="search"' in html
    assert '<label for="q">' in html
    assert 'name="position" value="noted"' in html
    assert "7 recommendations" in html
    assert html.count('class="result"') == 7


def test_explorer_text_search_highlights_and_escapes(client, web_data):
    response = client.get(EXPLORER, {"q": "women"})
    assert result_total(response) == 1
    html = response.content.decode()
    assert "<mark>" in html
    # The recommendation's own markup is shown as text, never run.
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_explorer_search_box_keeps_the_query_escaped(client, web_data):
    html = client.get(EXPLORER, {"q": '"><img src=x onerror=alert(1)>'}).content.decode()
    assert "<img src=x" not in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


def test_explorer_facet_filter_changes_counts(client, web_data):
    everything = client.get(EXPLORER)
    noted = client.get(EXPLORER, {"position": "noted"})
    assert result_total(everything) == 7
    assert result_total(noted) == 4
    # Other facets are counted within the filtered set.
    cycles = {v.value: v.count for v in noted.context["result"].facets["cycle"].values}
    assert cycles == {"2": 2, "3": 2}
    html = noted.content.decode()
    assert 'name="position" value="noted" checked' in html
    assert "Position: Noted" in html or "Noted <span" in html


def test_explorer_active_filters_have_remove_links(client, web_data):
    response = client.get(EXPLORER, {"q": "torture", "position": "noted", "cycle": "3"})
    filters = response.context["active_filters"]
    assert len(filters) == 2
    for active in filters:
        params = dict(parse_qsl(urlsplit(active.remove_url).query))
        assert params["q"] == "torture"
        assert len(params) == 2  # text and the one remaining filter
    assert response.context["clear_text_url"]
    assert "q=" not in response.context["clear_text_url"]


def test_explorer_empty_state_suggests_removing_a_filter(client, web_data):
    response = client.get(EXPLORER, {"q": "torture", "position": "supported_in_part"})
    assert result_total(response) == 0
    html = response.content.decode()
    assert "No recommendation matches “torture” with these filters." in html
    assert "Try removing a filter" in html


def test_explorer_empty_state_for_text_only(client, web_data):
    html = client.get(EXPLORER, {"q": "zzzyzzx"}).content.decode()
    assert "No recommendation matches “zzzyzzx”." in html


def test_explorer_empty_database(client, db):
    response = client.get(EXPLORER)
    assert response.status_code == 200
    assert "There are no recommendations in UPR Hub yet." in response.content.decode()


def test_explorer_paginates(client, db):
    from tests.web.factories import make_web_data

    make_web_data(extra=43)  # 50 in all: three pages of 20
    first = client.get(EXPLORER)
    assert first.context["result"].pages == 3
    assert first.context["next_url"]
    assert not first.context["prev_url"]
    assert [p.number for p in first.context["pages"]] == [1, 2, 3]
    second = client.get(first.context["next_url"])
    assert second.status_code == 200
    assert second.context["query"].page == 2
    assert len(second.context["result"].hits) == 20
    html = second.content.decode()
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in html
    assert 'start="21"' in html
    third = client.get(second.context["next_url"])
    assert len(third.context["result"].hits) == 10
    ids = {h.id for r in (first, second, third) for h in r.context["result"].hits}
    assert len(ids) == 50


def test_explorer_page_past_the_end_redirects_to_the_last_page(client, web_data):
    response = client.get(EXPLORER, {"page": "9"})
    assert response.status_code == 302
    assert response["Location"] == EXPLORER


def test_explorer_shareable_url_round_trip(client, web_data):
    query = SearchQuery(
        text="torture",
        position=("noted", "supported"),
        cycle=(3,),
        recommending_region=("Africa",),
        theme=(web_data.torture.pk,),
        sort="-date",
    )
    params = service.query_to_params(query)
    assert service.query_from_params(QueryDict(urlencode(params))) == query
    response = client.get(EXPLORER + "?" + urlencode(params))
    assert response.context["query"] == query
    # The page's own share URL reproduces the same query.
    share = response.context["share_url"]
    assert service.query_from_params(QueryDict(urlsplit(share).query)) == query
    assert 'rel="canonical"' in response.content.decode()


def test_explorer_links_to_exports_with_the_same_query(client, web_data):
    response = client.get(EXPLORER, {"q": "torture", "position": "noted"})
    csv_url = response.context["export_csv_url"]
    assert csv_url.startswith(reverse("recommendations:export", kwargs={"fmt": "csv"}))
    exported = service.query_from_params(QueryDict(urlsplit(csv_url).query))
    assert exported == response.context["query"]


# Recommendation page -----------------------------------------------------------------------


def test_recommendation_page_shows_details_and_similar(client, web_data):
    rec = web_data.recommendations[2]  # 26.1, same text as 176.1 in the 2nd cycle
    response = client.get(rec.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Recommendation 26.1 to United States" in html
    assert "Kenya" in html and "African Group" in html
    assert "Noted" in html
    assert "5 — Specific action" in html
    assert "UPR Info issues:" in html and "Conditions of detention" in html
    assert "A/HRC/46/15/Add.1" in html
    assert f'value="http://testserver/recommendations/{rec.pk}/"' in html
    similar_ids = [hit.id for hit in response.context["similar"]]
    assert web_data.recommendations[0].pk in similar_ids


def test_recommendation_page_escapes_text(client, web_data):
    rec = web_data.recommendations[4]
    html = client.get(rec.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_recommendation_is_404(client, db):
    response = client.get(reverse("recommendations:detail", args=[999999]))
    assert response.status_code == 404
    assert "We could not find this page" in response.content.decode()


# State pages -------------------------------------------------------------------------------


def test_state_page_shows_each_review_with_totals(client, web_data):
    response = client.get(reverse("reviews:state", args=["USA"]))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [s.review.session_id for s in overview.reviews] == [50, 36, 22]
    cycle3 = overview.reviews[1]
    assert cycle3.recommendations == 5
    assert (cycle3.supported, cycle3.supported_in_part, cycle3.noted) == (2, 1, 2)
    assert {b.value: b.count for b in cycle3.categories.bars} == {"2": 1, "3": 2, "4": 1, "5": 1}
    # 26.3 was made by Kenya and France: counted once in each group.
    assert {b.value: b.count for b in cycle3.regions.bars} == {"Africa": 2, "WEOG": 2, "GRULAC": 2}
    themes = {t.vocabulary: {b.label: b.count for b in t.breakdown.bars} for t in cycle3.themes}
    assert themes == {
        "OHCHR themes (3rd cycle)": {"Conditions of detention": 2},
        "UPR Info issues": {"Torture and other CID": 2, "Women's rights": 2},
    }
    html = response.content.decode()
    assert "United States of America" in html
    assert "The United States did not take part" in html
    assert "UPR Hub holds no recommendation for this review yet." in html
    assert "A/HRC/WG.6/36/USA/1" in html  # national report symbol, filled in by the model


def test_state_page_charts_have_table_fallbacks(client, web_data):
    html = client.get(reverse("reviews:state", args=["USA"])).content.decode()
    charts = html.count('role="img"')
    assert charts >= 8  # two reviews with recommendations, four or more charts each
    assert html.count("<caption>") == charts
    assert (
        'aria-label="By the State\'s answer: Supported, 2; Supported in part, 1; Noted, 2"' in html
    )
    assert "/recommendations/?state=USA&amp;session=36&amp;position=noted" in html


def test_state_page_for_a_state_without_review(client, web_data):
    response = client.get(reverse("reviews:state", args=["FRA"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "UPR Hub has no review of France in its data." in html
    assert "recommendations made by France to other States" in html


def test_state_code_is_case_insensitive(client, web_data):
    response = client.get(reverse("reviews:state", args=["usa"]))
    assert response.status_code == 301
    assert response["Location"] == "/states/USA/"


def test_unknown_state_is_404(client, db):
    response = client.get(reverse("reviews:state", args=["XYZ"]))
    assert response.status_code == 404


def test_state_list(client, web_data):
    response = client.get(reverse("reviews:state_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 State with at least one review" in html
    assert '<a href="/states/USA/">United States</a>' in html


def test_state_list_empty(client, db):
    html = client.get(reverse("reviews:state_list")).content.decode()
    assert "No State has been loaded yet" in html


def test_home_says_when_a_review_has_no_recommendations_in_the_data(client, web_data):
    html = client.get(reverse("core:home")).content.decode()
    assert "recommendations not in UPR Hub's data yet" in html  # the 2025 review


def test_state_page_without_action_categories_says_so(client, db):
    from tests.factories import RecommendationFactory, ReviewFactory, StateFactory

    review = ReviewFactory(state=StateFactory(code="SVN", short_name="Slovenia"))
    RecommendationFactory.create_batch(3, review=review, action_category=None)
    html = client.get(reverse("reviews:state", args=["SVN"])).content.decode()
    assert "The source of these recommendations gives no action category." in html
    assert "By action category:" not in html  # no empty chart


def test_state_page_links_to_explorer_and_exports(client, web_data):
    html = client.get(reverse("reviews:state", args=["USA"])).content.decode()
    assert 'href="/recommendations/?state=USA"' in html
    assert 'href="/recommendations/export.csv?state=USA"' in html
    assert 'href="/recommendations/export.xlsx?state=USA"' in html
    assert "Not in UPR Hub&#x27;s data yet" in html or "Not in UPR Hub's data yet" in html


def test_explorer_has_a_skip_link_past_the_filters(client, web_data):
    html = client.get(EXPLORER).content.decode()
    assert 'href="#results">Skip the filters: go to the 7 results</a>' in html
    assert 'id="results"' in html


def test_500_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert '<main id="main">' in html


def test_chart_bar_widths_are_not_localised(client, web_data):
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("reviews:state", args=["USA"])).content.decode()
    assert '<html lang="fr"' in html
    widths = re.findall(r'<rect class="bar [^"]*" width="([^"]*)"', html)
    assert widths and all("," not in w for w in widths)
    assert "40,0 %" in html  # the tables' numbers are localised
