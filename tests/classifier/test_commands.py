"""`uprhub classifier train / evaluate / predict / apply`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import RecommendationFactory, ThemeFactory, VocabularyFactory
from uprhub.classifier.model import Model
from uprhub.recommendations.models import Suggestion

from .fixtures import ROWS, write_uprinfo_csv


def _run(*args: str) -> str:
    out = StringIO()
    call_command("classifier", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def fixture_csv(tmp_path: Path) -> Path:
    rows = []
    for text, issues, action in ROWS:
        rows.append(("Norway", text, str(action), ",".join(issues)))
    return write_uprinfo_csv(tmp_path / "fixture.csv", rows)


@pytest.fixture
def model_file(trained: Model, tmp_path: Path) -> Path:
    return trained.save(tmp_path / "tiny.npz")


def test_predict_json(model_file: Path):
    out = json.loads(
        _run("predict", "Abolish the death penalty", "--model", str(model_file), "--format", "json")
    )
    assert out["issues"][0]["label"] == "Death penalty"
    assert 0 < out["issues"][0]["score"] <= 1
    assert out["action"]["category"] == 5
    assert set(out["action"]["probabilities"]) == {"1", "2", "3", "4", "5"}
    assert "abolish" in " ".join(out["action"]["words"])


def test_predict_text(model_file: Path):
    out = _run("predict", "Continue its efforts to fight trafficking", "--model", str(model_file))
    assert "Trafficking" in out and "Action category: 2" in out


def test_evaluate_json_has_the_figures(model_file: Path, fixture_csv: Path):
    out = json.loads(_run("evaluate", "--data", str(fixture_csv), "--model", str(model_file)))
    for key in (
        "n",
        "issues_micro_f1",
        "issues_macro_f1",
        "action_accuracy",
        "action_macro_f1",
        "model_version",
        "seen_in_training",
    ):
        assert key in out
    assert out["n"] == len(ROWS)
    assert out["seen_in_training"] == len(ROWS)  # the tiny model was trained on these texts


def test_evaluate_text(model_file: Path, fixture_csv: Path):
    out = _run(
        "evaluate", "--data", str(fixture_csv), "--model", str(model_file), "--format", "text"
    )
    assert "issues_micro_f1" in out


def test_bad_input_is_a_command_error(tmp_path: Path, model_file: Path):
    with pytest.raises(CommandError, match="missing column"):
        bad = tmp_path / "bad.csv"
        bad.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
        _run("evaluate", "--data", str(bad), "--model", str(model_file))
    with pytest.raises(CommandError, match="uprhub classifier train"):
        _run("predict", "x", "--model", str(tmp_path / "none.npz"))


def test_train_writes_a_model(tmp_path: Path):
    rows = [("Norway", text, str(action), ",".join(issues)) for text, issues, action in ROWS]
    data = write_uprinfo_csv(tmp_path / "d.csv", rows)
    output = tmp_path / "out.npz"
    out = json.loads(
        _run(
            "train", "--data", str(data), "--output", str(output), "--jobs", "1", "--format", "json"
        )
    )
    assert output.is_file() and out["examples"] == len(ROWS)
    assert Model.load(output).predict_action(["Abolish the death penalty"])[0].category == 5


@pytest.mark.django_db
def test_apply_suggests_for_existing_recommendations(shared_model):
    VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")
    bare = RecommendationFactory(text="Abolish the death penalty", action_category=None)
    done = RecommendationFactory(
        text="Ratify the Convention against Torture",
        action_category=5,
        themes=[ThemeFactory(name="International instruments")],
    )
    out = json.loads(_run("apply", "--dry-run", "--format", "json"))
    assert out["dry_run"] and out["issues_added"] == 1 and Suggestion.objects.count() == 0
    out = _run("apply")
    assert "1 issue and 1 action-category suggestions added" in out
    assert Suggestion.objects.filter(recommendation=bare).count() == 2
    assert not Suggestion.objects.filter(recommendation=done).exists()
    again = json.loads(_run("apply", "--format", "json"))
    assert again["issues_added"] == again["actions_added"] == again["removed"] == 0


@pytest.mark.django_db
def test_apply_can_be_limited_to_a_state(shared_model):
    VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")
    rec = RecommendationFactory(text="Abolish the death penalty", action_category=None)
    _run("apply", "--state", "ZZZ")
    assert not Suggestion.objects.exists()
    _run("apply", "--state", rec.review.state.code)
    assert Suggestion.objects.filter(recommendation=rec).count() == 2
