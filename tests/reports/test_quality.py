"""The quality check of proposed recommendations: category, SMART hints, similar ones."""

from __future__ import annotations

import pytest
from django.test import override_settings

from uprhub.reports import quality
from uprhub.reports.quality import Estimate, estimate_action_category, smart_hints


@pytest.fixture(autouse=True)
def _rule_based_estimator(settings):
    # These tests pin down the rule-based estimator; the shipped model has its own tests
    # (tests/classifier/test_shipped.py).
    settings.UPRHUB_ACTION_CATEGORY_ESTIMATOR = "rules"


@pytest.mark.parametrize(
    ("text", "category", "word"),
    [
        ("Ratify the Convention on the Rights of the Child", 5, "Ratify"),
        ("Continue its efforts to combat racial discrimination", 2, "Continue"),
        ("Consider ratifying the Rome Statute", 3, "Consider"),
        ("Take measures to reduce gun violence", 4, "Take measures"),
        ("Seek technical assistance from OHCHR to train the police", 1, "Seek"),
        ("Abolish the death penalty", 5, "Abolish"),
        ("Ensure access to safe drinking water", 4, "Ensure"),
        ("Explore ways to close Guantánamo", 3, "Explore"),
        ("Maintain the moratorium on federal executions", 2, "Maintain"),
        ("Establish a national human rights institution", 5, "Establish"),
        ("Investigate all allegations of excessive use of force", 5, "Investigate"),
        ("Amend the Immigration and Nationality Act", 5, "Amend"),
        ("Envisage a moratorium on executions", 3, "Envisage"),
        ("Share its experience in protecting religious freedom", 1, "Share"),
        ("Promote women's participation in politics", 4, "Promote"),
        ("Strengthen measures to prevent police violence", 4, "Strengthen"),
    ],
)
def test_obvious_verbs(text, category, word):
    estimate = estimate_action_category(text)
    assert estimate.category == category, estimate.reason
    assert f"“{word}”" in estimate.reason
    assert f"({category})" in estimate.reason
    assert estimate.probability is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("We recommend that the Government ratify the CRC by 2027.", 5),
        ("The United States should abolish the death penalty.", 5),
        ("Urge the Government to consider a moratorium", 3),
        ("26.3 Continue to promote tolerance", 2),
        ("1. Ratify CEDAW", 5),
        ("Adopt measures to protect migrants", 4),  # a specific verb, a general object
        ("Adopt a federal law banning solitary confinement of children", 5),
        ("The death penalty should be abolished at the federal level", 5),  # passive
        ("Ratifying the CRPD", 5),
    ],
)
def test_structure(text, category):
    assert estimate_action_category(text).category == category


def test_reason_for_a_vague_object():
    estimate = estimate_action_category("Adopt measures to protect migrants")
    assert "Adopt measures" in estimate.reason and "general" in estimate.reason


def test_unknown_or_empty():
    assert estimate_action_category("").category is None
    unknown = estimate_action_category("Migrants deserve protection")
    assert unknown.category is None and "migrants" in unknown.reason


def test_a_model_can_plug_in():
    def model(text: str) -> Estimate | None:
        if "torture" in text:
            return Estimate(5, 0.87, "the model is 87 % sure", ("torture",), estimator="model")
        return None  # no opinion: the rules answer

    quality.register_estimator("test-model", model)
    try:
        with override_settings(UPRHUB_ACTION_CATEGORY_ESTIMATOR="test-model"):
            from_model = estimate_action_category("Ensure that torture ends")
            assert from_model.category == 5 and from_model.probability == 0.87
            assert from_model.estimator == "model"
            assert estimate_action_category("Continue the dialogue").category == 2
    finally:
        quality._ESTIMATORS.pop("test-model", None)
    # An unknown setting falls back to the rules.
    with override_settings(UPRHUB_ACTION_CATEGORY_ESTIMATOR="missing"):
        assert estimate_action_category("Ratify the CRC").category == 5


def hints_of(text):
    return {h.code: h.met for h in smart_hints(text)}


def test_smart_hints_all_met():
    assert hints_of(
        "Congress should ratify the Convention on the Rights of the Child by 2027 and report "
        "the number of children held in immigration detention."
    ) == {"specific": True, "measurable": True, "time_bound": True, "responsible": True}


def test_smart_hints_none_met():
    hints = smart_hints("Take measures to improve the situation of migrants")
    assert {h.code: h.met for h in hints} == {
        "specific": False,
        "measurable": False,
        "time_bound": False,
        "responsible": False,
    }
    assert all(h.message for h in hints)


@pytest.mark.parametrize(
    "phrase", ["within two years", "before the next review", "by the end of 2026", "by May 2027"]
)
def test_time_frames(phrase):
    assert hints_of(f"Ratify the CRC {phrase}")["time_bound"]


# --- similar past recommendations (both databases) ---------------------------------------------


@pytest.mark.django_db
def test_similar_past_recommendations_to_the_same_state(world):
    found = quality.similar_past(
        "Ratify the Optional Protocol to the Convention against Torture", world.data.review_2025
    )
    paragraphs = [f.recommendation.paragraph for f in found]
    # The same text was recommended in 2015 and 2020; both are earlier US recommendations.
    assert set(paragraphs[:2]) == {"26.1", "176.1"}
    assert all(f.recommendation.review.state.code == "USA" for f in found)
    sentence = next(f.sentence for f in found if f.recommendation.paragraph == "26.1")
    assert sentence == "already recommended by Kenya in 2020 (cycle 3), noted"
    older = next(f.sentence for f in found if f.recommendation.paragraph == "176.1")
    assert older == "already recommended by France in 2015 (cycle 2), noted"


@pytest.mark.django_db
def test_similar_ignores_later_reviews_and_other_states(world):
    from tests.factories import RecommendationFactory, ReviewFactory, SessionFactory

    france = ReviewFactory(state=world.data.france, session=SessionFactory(number=36))
    RecommendationFactory(review=france, text="Ratify the Optional Protocol against Torture")
    found = quality.similar_past(
        "Ratify the Optional Protocol against Torture", world.data.review_2020
    )
    assert [f.recommendation.paragraph for f in found] == ["176.1"]


@pytest.mark.django_db
def test_no_similar_for_boilerplate(world):
    assert (
        quality.similar_past("Take measures to ensure human rights", world.data.review_2025) == []
    )


@pytest.mark.django_db
def test_check_recommendation_bundles_everything(world):
    check = quality.check_recommendation(
        "Abolish the death penalty at the federal level", world.data.review_2025
    )
    assert check.estimate.category == 5
    assert [f.recommendation.paragraph for f in check.similar][:1] == ["176.2"]
    assert {h.code for h in check.unmet} == {"measurable", "time_bound"} or check.unmet


@pytest.mark.django_db
def test_a_page_of_checks_searches_each_word_once_and_loads_rows_once(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    texts = [
        "Ratify the Optional Protocol to the Convention against Torture",
        "Ratify the Optional Protocol to the Convention on the Rights of the Child",
        "Abolish the death penalty at the federal level",
    ]
    singly = [quality.similar_past(t, world.data.review_2025) for t in texts]
    words = {w for t in texts for w in quality.distinctive_words(t)}
    with CaptureQueriesContext(connection) as captured:
        together = quality.check_recommendations(texts, world.data.review_2025)
    queries = captured.captured_queries
    # Same results as one at a time; far fewer queries than words × texts.
    assert [[f.recommendation.pk for f in c.similar] for c in together] == [
        [f.recommendation.pk for f in found] for found in singly
    ]
    per_text = sum(len(quality.distinctive_words(t)) for t in texts)
    assert len(words) < per_text  # the texts share words: the test means something
    # One search per distinct word, one load of the rows (and its prefetches) for the page.
    assert len(queries) <= len(words) + 4, [q["sql"][:80] for q in queries]
