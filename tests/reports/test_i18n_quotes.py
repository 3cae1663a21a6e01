"""Quotation marks and the plural "recommendation" are in the catalogue, so each language
gets its own: “…” in English and Spanish, « … » in French."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories import RecommendationFactory, ReviewFactory, StateFactory
from uprhub.recommendations.models import Position, Recommendation
from uprhub.reports.citations import format_citations
from uprhub.reports.quality import rule_based_estimate


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("en", "“Ratify”"), ("es", "“Ratify”"), ("fr", "« Ratify »")],
)
def test_the_rule_estimate_quotes_in_the_language(language: str, quoted: str) -> None:
    with translation.override(language):
        reason = rule_based_estimate("Ratify the Convention on the Rights of the Child").reason
    assert quoted in reason
    if language == "fr":
        assert "“" not in reason and "commence par" in reason


def test_a_detail_is_joined_the_french_way() -> None:
    text = "Adopt measures to protect migrants"  # a specific verb, a general object
    assert "; " in rule_based_estimate(text).reason
    with translation.override("fr"):
        reason = rule_based_estimate(text).reason
    assert " ; " in reason and "« " in reason


@pytest.fixture
def cited(db) -> list[Recommendation]:
    review = ReviewFactory(state=StateFactory(code="USA", short_name="United States"))
    numbered = [
        RecommendationFactory(review=review, paragraph=f"26.{n}", position=Position.SUPPORTED)
        for n in (1, 2, 3)
    ]
    unnumbered = RecommendationFactory(
        review=review,
        paragraph="",
        position=Position.SUPPORTED,
        text="Ratify the Convention on the Rights of the Child without any reservations at all",
    )
    ids = [r.pk for r in [*numbered, unnumbered]]
    return list(Recommendation.objects.with_details().filter(pk__in=ids))


def test_citations_quote_and_pluralise_in_the_language(cited: list[Recommendation]) -> None:
    english = format_citations(cited).text
    assert english.startswith("recommendations 26.1–26.3")
    assert "“Ratify the Convention on the Rights of the …”" in english
    with translation.override("fr"):
        french = format_citations(cited).text
    assert french.startswith("recommandations 26.1–26.3")
    assert "« Ratify the Convention on the Rights of the… »" in french
    assert "“" not in french
    with translation.override("es"):
        one = [r for r in cited if r.paragraph == "26.1"]
        assert format_citations(one).text == "recomendación 26.1, apoyada"
