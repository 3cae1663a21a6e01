"""Search understands advocates: synonyms, Spanish and French, themes named by the words, and a
way forward when nothing matches. Every expectation holds on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import RecommendationFactory, ThemeFactory
from uprhub.recommendations.models import Recommendation, Vocabulary
from uprhub.search import service, synonyms
from uprhub.search.query import _tokens
from uprhub.search.types import SearchQuery

from .factories import Corpus

pytestmark = pytest.mark.django_db

BUNDLED = Path(__file__).resolve().parents[2] / "uprhub/recommendations/data/bundled"
QUERIES = Path(__file__).resolve().parent / "data/advocate_queries.json"

# paragraph, theme (UPR Info issue), text: written as the UN writes, never as advocates type.
EXTRA_ROWS = [
    ("4.1", "Indigenous peoples", "Respect the land rights of indigenous peoples."),
    (
        "4.2",
        "Sexual Orientation and Gender Identity",
        "Decriminalize consensual relations between adults of the same sex and protect LGBTI"
        " persons from discrimination.",
    ),
    ("4.3", "Rights of the Child", "Ensure birth registration for every child in rural areas."),
    (
        "4.4",
        "Human rights violations by state agents",
        "Investigate every allegation of excessive use of force by law enforcement officers.",
    ),
    ("4.6", "Justice", "Give juvenile offenders access to justice and to legal aid."),
    # Labelled "Death penalty" without saying so.
    ("4.5", "Death penalty", "Ratify the Second Optional Protocol to the Covenant."),
]


@pytest.fixture
def advocates(corpus: Corpus) -> Corpus:
    review = corpus.by_paragraph["1.1"].review
    issues = Vocabulary.objects.get(slug="uprinfo-issues")
    for paragraph, theme_name, text in EXTRA_ROWS:
        theme = issues.themes.filter(name=theme_name).first() or ThemeFactory(
            vocabulary=issues, name=theme_name
        )
        corpus.by_paragraph[paragraph] = RecommendationFactory(
            review=review, paragraph=paragraph, text=text, themes=[theme], recommenders=[]
        )
    service.clear_caches()
    return corpus


def found(corpus: Corpus, text: str, **kwargs) -> list[str]:
    result = service.search(SearchQuery(text=text, page_size=50, **kwargs))
    assert result.total == len(result.hits)
    return corpus.paragraphs(h.id for h in result.hits)


# --- the five queries of issue 13 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("native american", "4.1"),
        ("pena de muerte", "1.1"),
        ("peuples autochtones", "4.1"),
        ("derechos del niño", "4.3"),
        ("LGBTQ", "4.2"),
    ],
)
def test_the_queries_that_found_nothing_now_find_the_recommendations(advocates, text, expected):
    assert expected in found(advocates, text)
    assert found(advocates, text, literal=True) == []  # the words alone are not in the texts


# --- synonyms, translations, themes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("capital punishment", {"1.1", "1.2", "4.5"}),
        ("police brutality", {"4.4"}),
        ("tribal", {"4.1"}),
        ("transgender", {"4.2"}),
        ("peine de mort", {"1.1", "1.2", "4.5"}),
        ("tortura", {"2.10", "2.2"}),
        ("la tortura", {"2.10", "2.2"}),  # Spanish function words do not become required words
        ("torture", {"2.10", "2.2"}),
        ("tortured", {"2.10", "2.2"}),  # English stemming, both engines
        ("derechos de las mujeres", {"2.1", "3.1"}),
        ("droits des femmes", {"2.1", "3.1"}),
        ("mujeres", {"2.1", "3.1"}),
    ],
)
def test_synonyms_and_translations(advocates, text, expected):
    assert set(found(advocates, text)) == expected


def test_a_query_naming_a_theme_adds_its_labelled_recommendations_after_the_text_matches(
    advocates,
):
    paragraphs = found(advocates, "death penalty")
    assert set(paragraphs) == {"1.1", "1.2", "4.5"}
    assert paragraphs[-1] == "4.5"  # found by its label only: ranked after the words
    assert "4.5" not in found(advocates, "death penalty", literal=True)
    result = service.search(SearchQuery(text="death penalty"))
    assert result.themes_included == ("Death penalty",)
    assert "capital punishment" in result.also_searched
    # A theme's own name, in any vocabulary, names it too.
    assert set(found(advocates, "SDG 5")) == {"1.3", "2.1"}


def test_words_beside_a_theme_still_narrow_the_search(advocates):
    # "moratorium" is not a theme: the query no longer names only a theme, so labels are not
    # added, and every word is required.
    assert found(advocates, "moratorium death penalty") == ["1.2"]


def test_understanding_the_words_never_loses_what_the_words_alone_find(advocates):
    # "juvenile justice" is a known term, searched as a phrase and as its synonyms; the typed
    # words also still match apart, as unquoted words always do.
    assert found(advocates, "juvenile justice", literal=True) == ["4.6"]
    assert "4.6" in found(advocates, "juvenile justice")


def test_quoted_words_are_searched_as_typed(advocates):
    assert found(advocates, '"capital punishment"') == []


def test_the_explorer_explains_what_it_searched_and_offers_the_words_alone(advocates, client):
    page = client.get("/recommendations/", {"q": "pena de muerte"}).content.decode()
    assert "Also searched for: death penalty, capital punishment" in page
    assert "Includes the recommendations labelled Death penalty." in page
    assert "literal=1" in page
    literal = client.get("/recommendations/", {"q": "pena de muerte", "literal": "1"})
    assert 'name="literal" value="1"' in literal.content.decode()
    assert literal.context["result"].total == 0


# --- never a dead end ---------------------------------------------------------------------------


def kinds(result) -> dict[str, tuple[str, int]]:
    return {s.kind: (s.label, s.count) for s in result.suggestions}


def test_a_misspelt_word_gets_a_correction_that_finds_something(advocates):
    result = service.search(SearchQuery(text="tortre"), suggest_when_empty=True)
    assert result.total == 0
    assert kinds(result)["spelling"] == ("torture", 2)


def test_too_many_words_get_fewer_words(advocates):
    result = service.search(SearchQuery(text="torture zzzunknown"), suggest_when_empty=True)
    assert result.total == 0
    assert kinds(result)["broader"] == ("torture", 2)


def test_filters_that_exclude_everything_get_the_same_words_without_them(advocates):
    result = service.search(SearchQuery(text="torture", state=("AAA",)), suggest_when_empty=True)
    assert result.total == 0
    suggestion = next(s for s in result.suggestions if s.kind == "filters")
    assert suggestion.count == 2 and suggestion.query.state == ()
    assert suggestion.label == "torture"


def test_a_word_of_a_theme_suggests_the_theme_filter(advocates):
    query = SearchQuery(text="zzzunknown penalty", literal=True)
    assert service.search(query).suggestions == []  # only when asked for
    result = service.search(query, suggest_when_empty=True)
    assert result.total == 0
    theme = next(s for s in result.suggestions if s.kind == "theme")
    assert theme.label == "Death penalty"
    assert theme.query.theme == (advocates.themes["Death penalty"],)
    assert theme.query.text == ""
    assert theme.count == 3


def test_the_explorer_links_to_the_suggestions(advocates, client):
    page = client.get("/recommendations/", {"q": "tortre"}).content.decode()
    assert "Try instead" in page
    assert "Did you mean “torture”? (2 recommendations)" in page
    assert 'href="/recommendations/?q=torture"' in page


def test_the_api_returns_the_suggestions(advocates, client):
    data = client.get("/api/recommendations", {"q": "tortre"}).json()
    assert data["total"] == 0
    assert data["suggestions"][0] == {
        "kind": "spelling",
        "label": "torture",
        "count": 2,
        "description": "Did you mean “torture”? (2 recommendations)",
        "params": [["q", "torture"]],
    }
    understood = client.get("/api/recommendations", {"q": "pena de muerte"}).json()
    assert understood["themes_included"] == ["Death penalty"]
    assert understood["suggestions"] == []


def test_the_cli_prints_the_suggestions_on_stderr(advocates):
    out, err = StringIO(), StringIO()
    call_command("search", "tortre", stdout=out, stderr=err)
    assert out.getvalue().startswith("0 recommendations match")
    expected = 'Did you mean “torture”? (2 recommendations): uprhub search "torture"'
    assert expected in err.getvalue()
    out = StringIO()
    call_command("search", "pena", "de", "muerte", "--literal", "--format", "csv", stdout=out)
    assert len(out.getvalue().splitlines()) == 1  # the header only


# --- the term lists -----------------------------------------------------------------------------


def test_the_term_lists_are_well_formed_and_unambiguous():
    vocabulary = synonyms.load_vocabulary()
    raw = json.loads(synonyms.DATA_FILE.read_text(encoding="utf-8"))["concepts"]
    owners: dict[tuple[str, ...], int] = {}
    for number, entry in enumerate(raw):
        assert entry["es"] and entry["fr"], entry["en"][0]
        for language in ("en", "also", "es", "fr"):
            for term in entry.get(language, ()):
                key = synonyms._content_key(_tokens(term))
                assert owners.setdefault(key, number) == number, (term, raw[owners[key]]["en"])
    assert len(vocabulary.concepts) == len(raw)


def _bundled_themes() -> set[str]:
    names: set[str] = set()
    with (BUNDLED / "uprinfo/recommendations-sessions-01-17.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.update(n.strip() for n in row["Issue"].split(",") if n.strip())
    with (BUNDLED / "ohchr/usa-cycle3-recommendations.csv").open(encoding="utf-8") as f:
        names.update(row["primary_theme"].strip() for row in csv.DictReader(f))
    return names


def test_every_bundled_theme_has_spanish_and_french_terms():
    covered = {
        synonyms.fold(theme)
        for entry in json.loads(synonyms.DATA_FILE.read_text(encoding="utf-8"))["concepts"]
        if entry["es"] and entry["fr"]
        for theme in entry.get("themes", ())
    }
    missing = sorted(
        t for t in _bundled_themes() if synonyms.fold(t) not in covered and t not in NO_TERMS
    )
    assert missing == []


# Catch-all issues of UPR Info: no one searches for them by name.
NO_TERMS = {"General", "Other"}


def test_the_labelled_queries_cover_three_languages_and_existing_themes():
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    assert len(queries) >= 60
    assert {q["lang"] for q in queries} == {"en", "es", "fr"}
    assert min(sum(q["lang"] == lang for q in queries) for lang in ("en", "es", "fr")) >= 20
    known = _bundled_themes()
    assert all(set(q["themes"]) <= known for q in queries)


@pytest.mark.slow
def test_recall_on_the_bundled_data(db):
    """The labelled queries on the real data (what bench/search_quality.py reports)."""
    from uprhub.recommendations.importers.bundled import load_bundled_data

    load_bundled_data()
    service.clear_caches()
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    recalls = []
    for item in queries:
        relevant = set(
            Recommendation.objects.filter(labels__theme__name__in=item["themes"]).values_list(
                "id", flat=True
            )
        )
        ids = set(service.iter_ids(SearchQuery(text=item["q"])))
        assert ids, item["q"]
        recalls.append(len(relevant & ids) / len(relevant))
    assert sum(recalls) / len(recalls) >= 0.85
