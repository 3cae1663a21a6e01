"""The search service on the fixed corpus. Every expectation holds on SQLite and PostgreSQL."""

from __future__ import annotations

import html

import pytest
from django.http import QueryDict

from tests.factories import RecommendationFactory
from uprhub.search import service
from uprhub.search.types import FACETS, SearchQuery

from .factories import Corpus

pytestmark = pytest.mark.django_db


def found(corpus: Corpus, **kwargs) -> list[str]:
    """Paragraphs of every result, in order (page size large enough for the corpus)."""
    result = service.search(SearchQuery(page_size=50, **kwargs))
    assert result.total == len(result.hits)
    return corpus.paragraphs(h.id for h in result.hits)


def counts(result, facet: str) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[facet].values}


# Same expected results on both databases (sorted by paragraph to ignore ranking differences),
# for the words as typed (synonyms and theme labels are tested in test_advocates.py).
TEXT_CASES = {
    "death penalty": ["1.1", "1.2"],
    '"death penalty"': ["1.1", "1.2"],
    '"penalty death"': [],
    "penalty": ["1.1", "1.2", "3.2"],  # penalties: same stem on both engines
    "torture": ["2.10", "2.2"],
    "women": ["2.1", "3.1"],
    "rights": ["2.1", "3.1", "3.2"],
    "girls violence": ["3.1"],
    "cote": ["1.3"],  # accents are folded on both
    "Côte d'Ivoire": ["1.3"],
    "abolish*": ["1.1", "1.2"],
    "the": [],  # stop words only: nothing (as PostgreSQL does)
    "death AND NOT penalty": ["1.1", "1.2"],
    "NEAR(death penalty)": [],
    "script": ["2.2"],
    "zzzunknown": [],
}


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES.items())
def test_the_same_matches_on_every_database(corpus, text, expected):
    assert sorted(found(corpus, text=text, sort="paragraph", literal=True)) == sorted(expected)


def test_ranking_puts_the_text_about_the_words_first(corpus):
    assert found(corpus, text="torture") == ["2.10", "2.2"]
    result = service.search(SearchQuery(text="torture"))
    assert result.hits[0].score > result.hits[1].score


def test_snippets_are_escaped_and_marked(corpus):
    [hit] = service.search(SearchQuery(text="script")).hits
    assert "<script>" not in hit.snippet
    assert "&lt;<mark>script</mark>&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert html.unescape(hit.snippet.replace("<mark>", "").replace("</mark>", "")).startswith(
        "Ratify the Convention"
    )


def test_snippets_mark_stemmed_matches(corpus):
    hits = service.search(SearchQuery(text="penalty", sort="paragraph")).hits
    assert "<mark>penalties</mark>" in hits[-1].snippet
    assert "<mark>penalty</mark>" in hits[0].snippet


def test_browse_snippets_are_escaped_without_marks(corpus):
    hits = service.search(SearchQuery(page_size=50)).hits
    [hit] = [h for h in hits if h.recommendation.paragraph == "2.2"]
    assert "&lt;script&gt;" in hit.snippet and "<mark>" not in hit.snippet
    assert hit.score is None


NASTY = [
    '"',
    '""',
    '"""',
    "*",
    "-",
    "- -death",
    "NEAR(",
    "NEAR(death, 2)",
    "(((",
    "))) death (((",
    "death OR",
    "AND",
    "x" * 10_000,
    "death " * 2_000,
    "🙂" * 500,
    "death 🙂 penalty",
    "'; DROP TABLE recommendations_recommendation; --",
    "1' OR '1'='1",
    "\x00",
    "death\x00penalty",
    "\\",
    "%_%",
    "text:death",
    "^death",
    "death:*",
    "{death penalty}",
    "\ue000mark\ue001",
    "é" * 70,
]


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_any_user_query_returns_normally(corpus, text, sort):
    result = service.search(SearchQuery(text=text, sort=sort))
    assert result.total >= 0
    assert set(result.facets) == set(FACETS)
    for hit in result.hits:
        assert "<script>" not in hit.snippet


def test_words_around_operators_still_search(corpus):
    assert sorted(found(corpus, text="))) death (((")) == ["1.1", "1.2"]
    assert sorted(found(corpus, text="death\x00penalty")) == ["1.1", "1.2"]


def test_facet_counts_without_filters(corpus):
    result = service.search(SearchQuery(text="rights"))
    assert result.total == 3
    assert counts(result, "state") == {"BBB": 1, "CCC": 2}
    assert counts(result, "recommending_state") == {"AAA": 2, "BBB": 1, "DDD": 1}
    assert counts(result, "region") == {"Africa": 1, "GRULAC": 2}
    assert counts(result, "recommending_region") == {"WEOG": 2, "Africa": 1, "Asia-Pacific": 1}
    assert counts(result, "cycle") == {"1": 1, "2": 2}
    assert counts(result, "session") == {"9": 1, "22": 2}
    assert counts(result, "position") == {"supported": 1, "supported_in_part": 1, "noted": 1}
    assert counts(result, "action_category") == {"3": 1, "5": 1}
    theme_counts = {v.label: (v.count, v.group) for v in result.facets["theme"].values}
    assert theme_counts == {
        "Women's rights": (2, "UPR Info issues"),
        "SDG 5": (1, "Sustainable Development Goals"),
    }


def test_facet_counts_are_disjunctive(corpus):
    result = service.search(SearchQuery(text="rights", state=("CCC",), position=("noted",)))
    assert corpus.paragraphs(h.id for h in result.hits) == ["3.2"]
    # Each facet ignores its own filter but applies the others.
    assert counts(result, "state") == {"CCC": 1}  # rights & noted
    assert counts(result, "position") == {"supported_in_part": 1, "noted": 1}  # rights & CCC
    assert counts(result, "session") == {"22": 1}  # everything applied
    selected = {v.value for f in result.facets.values() for v in f.values if v.selected}
    assert selected == {"CCC", "noted"}


def test_browse_counts_and_labels(corpus):
    result = service.search(SearchQuery(recommending_region=("Asia-Pacific",)))
    assert result.total == 3  # 1.2, 2.2, 3.2
    assert counts(result, "recommending_region") == {
        "WEOG": 2,
        "Africa": 3,
        "GRULAC": 3,
        "Asia-Pacific": 3,
    }
    labels = {v.value: v.label for v in result.facets["cycle"].values}
    assert labels == {"1": "Cycle 1", "2": "Cycle 2"}
    assert {v.value: v.label for v in result.facets["session"].values} == {
        "9": "UPR 9",
        "22": "UPR 22",
    }
    assert {v.value: v.label for v in result.facets["state"].values} == {
        "AAA": "Aaland",
        "BBB": "Bebeland",
        "CCC": "Ceeland",
    }


def test_selected_values_with_no_results_still_show(corpus):
    result = service.search(SearchQuery(text="torture", state=("AAA",)))
    assert result.total == 0
    [aaa] = [v for v in result.facets["state"].values if v.value == "AAA"]
    assert aaa.selected and aaa.count == 0


FILTER_CASES = [
    ({"state": ("AAA",)}, ["1.1", "1.2", "1.3"]),
    ({"state": ("AAA", "CCC")}, ["1.1", "1.2", "1.3", "3.1", "3.2"]),
    ({"recommending_state": ("DDD",)}, ["1.2", "2.2", "3.2"]),
    ({"region": ("Africa",)}, ["2.1", "2.10", "2.2"]),
    ({"recommending_region": ("WEOG",)}, ["2.1", "3.1"]),
    ({"cycle": (1,)}, ["1.1", "2.1", "2.10", "2.2"]),
    ({"session": (22,)}, ["1.2", "1.3", "3.1", "3.2"]),
    ({"position": ("noted",)}, ["1.2", "2.2", "3.2"]),
    ({"action_category": (5,)}, ["1.1", "2.2", "3.1"]),
    ({"state": ("AAA",), "position": ("supported",)}, ["1.1", "1.3"]),
    ({"state": ("ZZZ",)}, []),  # unknown values select nothing
]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_each_filter(corpus, filters, expected):
    assert sorted(found(corpus, **filters)) == sorted(expected)


def test_theme_filter_any_vocabulary(corpus):
    themes = corpus.themes
    assert sorted(found(corpus, theme=(themes["SDG 5"],))) == ["1.3", "2.1"]
    both = (themes["SDG 5"], themes["Death penalty"])
    assert sorted(found(corpus, theme=both)) == ["1.1", "1.2", "1.3", "2.1"]
    assert sorted(found(corpus, text="girls", theme=(themes["SDG 5"],))) == ["1.3"]


SORT_CASES = {
    "date": ["1.1", "2.1", "2.2", "2.10", "3.1", "3.2", "1.2", "1.3"],
    "-date": ["1.2", "1.3", "3.1", "3.2", "2.1", "2.2", "2.10", "1.1"],
    "paragraph": ["1.1", "1.2", "1.3", "2.1", "2.2", "2.10", "3.1", "3.2"],
    "relevance": ["1.2", "1.3", "3.1", "3.2", "2.1", "2.2", "2.10", "1.1"],  # browse: newest
}


@pytest.mark.parametrize(("sort", "expected"), SORT_CASES.items())
def test_each_sort_when_browsing(corpus, sort, expected):
    assert found(corpus, sort=sort) == expected


@pytest.mark.parametrize("sort", ["date", "-date", "paragraph"])
def test_each_sort_with_text(corpus, sort):
    expected = [p for p in SORT_CASES[sort] if p in ("1.1", "1.2", "3.2")]
    assert found(corpus, text="penalty", sort=sort) == expected


def test_paging(corpus):
    pages = [
        service.search(SearchQuery(sort="paragraph", page=n, page_size=3)) for n in (1, 2, 3, 4)
    ]
    assert [corpus.paragraphs(h.id for h in p.hits) for p in pages] == [
        ["1.1", "1.2", "1.3"],
        ["2.1", "2.2", "2.10"],
        ["3.1", "3.2"],
        [],
    ]
    assert pages[0].pages == 3 and pages[0].total == 8


def test_paging_by_relevance_is_consistent(corpus):
    assert found(corpus, text="penalty OR rights") == ["3.2"]  # "or" is a word: AND of both
    whole = found(corpus, text="rights")
    paged = []
    for n in (1, 2, 3):
        result = service.search(SearchQuery(text="rights", page=n, page_size=1))
        paged += corpus.paragraphs(h.id for h in result.hits)
    assert paged == whole


def test_iter_ids_follows_the_sort_and_ignores_paging(corpus):
    ids = list(service.iter_ids(SearchQuery(sort="paragraph", page=2, page_size=1)))
    assert corpus.paragraphs(ids) == SORT_CASES["paragraph"]
    ids = list(service.iter_ids(SearchQuery(text="torture")))
    assert corpus.paragraphs(ids) == ["2.10", "2.2"]


def test_a_new_recommendation_is_found_by_the_next_search(corpus):
    review = corpus.by_paragraph["1.1"].review
    assert service.search(SearchQuery(text="xylophone")).total == 0
    assert service.search(SearchQuery(state=("AAA",))).total == 3
    RecommendationFactory(review=review, paragraph="1.9", text="Buy a xylophone.")
    assert service.search(SearchQuery(text="xylophone")).total == 1
    assert service.search(SearchQuery(state=("AAA",))).total == 4


def test_edits_and_deletions_are_seen(corpus):
    rec = corpus.by_paragraph["2.2"]
    rec.text = "Ratify the xylophone convention."
    rec.save()
    assert found(corpus, text="xylophone") == ["2.2"]
    assert found(corpus, text="script") == []
    rec.labels.all().delete()
    corpus.by_paragraph["2.10"].delete()
    assert found(corpus, text="torture") == []


def test_query_budget(corpus, django_assert_max_num_queries):
    service.search(SearchQuery(text="rights"))  # warm the facet index
    # version, text match, page rows with snippets + with_details() prefetches
    with django_assert_max_num_queries(7):
        service.search(SearchQuery(text="women", state=("CCC",), position=("supported",)))
    with django_assert_max_num_queries(6):  # the match is cached
        service.search(SearchQuery(text="women", page=2, page_size=1))
    with django_assert_max_num_queries(6):
        service.search(SearchQuery(cycle=(2,), sort="date"))
    with django_assert_max_num_queries(2):  # nothing matches: no page to load
        service.search(SearchQuery(text="zzznothing"))


def test_similar_finds_the_same_text_elsewhere_first(corpus):
    original = corpus.by_paragraph["1.1"]
    later = RecommendationFactory(
        review=corpus.by_paragraph["1.2"].review, paragraph="1.8", text=original.text
    )
    other = RecommendationFactory(
        review=corpus.by_paragraph["3.1"].review, paragraph="3.8", text=original.text
    )
    hits = service.similar(original, limit=5)
    ids = [h.id for h in hits]
    assert ids[:2] == [later.pk, other.pk]  # same State first
    assert corpus.by_paragraph["1.2"].pk in ids  # "death penalty": similar words
    assert original.pk not in ids


def test_similar_excludes_the_same_review(corpus):
    hits = service.similar(corpus.by_paragraph["2.10"], limit=5)
    assert corpus.by_paragraph["2.2"].pk not in [h.id for h in hits]  # same review
    assert all(h.recommendation.review_id != corpus.by_paragraph["2.10"].review_id for h in hits)


def test_theme_ids_by_name(corpus):
    assert service.theme_ids_by_name("death PENALTY") == [corpus.themes["Death penalty"]]
    assert service.theme_ids_by_name(" ") == []
    assert service.theme_ids_by_name("nope") == []


def test_query_from_params_ignores_invalid_values():
    params = QueryDict(
        "q=death+penalty&state=usa&state=&cycle=3&cycle=x&cycle=-1&session=36"
        "&position=Noted&position=maybe&region=weog&theme=12&theme=abc&action_category=5"
        "&sort=nonsense&page=-4&recommending_state=FRA&recommending_region=Africa"
    )
    query = service.query_from_params(params)
    assert query == SearchQuery(
        text="death penalty",
        state=("USA",),
        recommending_state=("FRA",),
        region=("WEOG",),
        recommending_region=("Africa",),
        cycle=(3,),
        session=(36,),
        position=("noted",),
        action_category=(5,),
        theme=(12,),
        sort="relevance",
        page=1,
    )
    assert service.query_from_params({"page": "99999999999999999999"}).page == 100_000
    assert service.query_from_params({"sort": "-date", "page": "2"}).page == 2
    assert service.query_from_params({}) == SearchQuery()


def test_query_params_round_trip():
    query = SearchQuery(
        text="women's rights", state=("USA", "FRA"), theme=(4,), sort="date", page=3
    )
    params = service.query_to_params(query)
    assert ("state", "USA") in params and ("sort", "date") in params
    qd = QueryDict(mutable=True)
    for key, value in params:
        qd.appendlist(key, value)
    assert service.query_from_params(qd) == query
    assert service.query_to_params(SearchQuery()) == []


def test_hits_come_with_their_details(corpus, django_assert_num_queries):
    hits = service.search(SearchQuery(text="rights", sort="paragraph")).hits
    with django_assert_num_queries(0):
        for hit in hits:
            hit.recommendation.review.state.short_name
            hit.recommendation.review.session.cycle_id
            [s.code for s in hit.recommendation.recommending_states.all()]
            [label.theme.vocabulary.name for label in hit.recommendation.labels.all()]
    assert [h.score for h in hits] == [None, None, None]  # not ranked when sorting by paragraph


def test_only_the_top_values_of_a_facet_are_listed():
    from uprhub.search.types import FacetValue

    values = [FacetValue(str(i), f"v{i}", 100 - i, selected=i == 70) for i in range(80)]
    values += [FacetValue("x", "other group", 1, group="g")]
    kept = service._top_per_group(values)
    assert len(kept) == service.MAX_FACET_VALUES + 2
    assert any(v.value == "70" for v in kept) and any(v.group == "g" for v in kept)


def test_result_shape(corpus):
    result = service.search(SearchQuery(text="death", page_size=1))
    assert result.total == 2 and result.pages == 2 and len(result.hits) == 1
    assert result.took_ms > 0
    assert [f.name for f in result.facets.values()] == list(FACETS)
    assert result.facets["state"].label == "State under review"


def test_similar_query_budget(corpus, django_assert_max_num_queries):
    from uprhub.recommendations.models import Recommendation

    rec = Recommendation.objects.select_related("review").get(pk=corpus.by_paragraph["1.1"].pk)
    # same text, word frequencies, ranked candidates, then the hits with_details() (5)
    with django_assert_max_num_queries(8):
        hits = service.similar(rec)
    assert corpus.by_paragraph["1.2"].pk in [h.id for h in hits]
    assert all("<script>" not in h.snippet for h in hits)
