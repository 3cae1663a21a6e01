"""The model's explanation quotes its words through the catalogue (« » in French)."""

from __future__ import annotations

from django.utils import translation

from uprhub.classifier.estimator import model_estimate

TEXT = "Continue its efforts to combat trafficking in persons"


def test_the_words_are_quoted_in_english(shared_model) -> None:
    estimate = model_estimate(TEXT)
    assert estimate is not None
    assert "“continue”" in estimate.reason


def test_the_words_are_quoted_in_french(shared_model) -> None:
    with translation.override("fr"):
        estimate = model_estimate(TEXT)
    assert estimate is not None
    assert "« continue »" in estimate.reason
    assert "“" not in estimate.reason and "”" not in estimate.reason
