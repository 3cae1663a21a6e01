"""The shipped artifact and the report builder's estimator."""

from __future__ import annotations

import pytest

from uprhub.classifier import model as model_module
from uprhub.classifier.estimator import model_estimate
from uprhub.reports import quality

shipped = pytest.mark.skipif(
    not model_module.artifact_path().is_file(), reason="no trained artifact in the package"
)


@shipped
def test_the_shipped_model_loads_and_predicts():
    model = model_module.Model.load(model_module.artifact_path())
    assert len(model.issue_labels) == 54
    assert model.action_classes == [1, 2, 3, 4, 5]
    assert model_module.artifact_path().stat().st_size <= 30_000_000
    issues, actions = model.predict(
        [
            "Abolish the death penalty",
            "Continue its efforts to combat trafficking in persons",
            "Consider ratifying the Optional Protocol to the Convention against Torture",
        ]
    )
    assert issues[0][0].label == "Death penalty"
    assert issues[1][0].label == "Trafficking"
    assert {"International instruments", "Torture and other CID treatment"} <= {
        i.label for i in issues[2]
    }
    assert [a.category for a in actions] == [5, 2, 3]


def test_the_estimator_is_registered():
    assert "model" in quality.estimators()


def test_the_estimator_explains_with_words(shared_model):
    estimate = model_estimate("Continue its efforts to combat trafficking in persons")
    assert estimate is not None
    assert estimate.category == 2 and estimate.estimator == "model"
    assert 0 < estimate.probability <= 1
    assert "continue" in estimate.words
    assert "continue" in estimate.reason
    assert model_estimate("   ") is None


def test_the_quality_check_uses_the_model_when_configured(shared_model, settings):
    settings.UPRHUB_ACTION_CATEGORY_ESTIMATOR = "model"
    estimate = quality.estimate_action_category("Abolish the death penalty")
    assert estimate.estimator == "model" and estimate.category == 5


def test_without_a_model_the_rules_answer(settings, monkeypatch):
    monkeypatch.setattr("uprhub.classifier.estimator.is_available", lambda: False)
    settings.UPRHUB_ACTION_CATEGORY_ESTIMATOR = "model"
    assert model_estimate("Abolish the death penalty") is None
    assert quality.estimate_action_category("Abolish the death penalty").estimator == "rules"
