"""Label handling, training, the tiny model's obvious cases, storage and evaluation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from uprhub.classifier.evaluation import evaluate
from uprhub.classifier.model import Model
from uprhub.classifier.training import (
    Example,
    TrainingParams,
    _label_matrix,
    fit_platt,
    fit_temperature,
    holdout,
    nb_ratio,
    read_examples,
    split_by_session,
    train,
    tune_thresholds,
)
from uprhub.recommendations.importers.base import ImportFailed

from .fixtures import DP, INSTRUMENTS, TORTURE, TRAFFICKING, examples, write_uprinfo_csv


def test_read_examples_merges_rows_like_the_importer(tmp_path: Path):
    path = write_uprinfo_csv(
        tmp_path / "u.csv",
        [
            ("Norway", "Abolish the death penalty.", "5", "Death penalty"),
            ("Norway", "abolish  the death penalty", "5", "Death penalty"),  # same, merged
            ("Chile", "Abolish the death penalty", "5", "Death penalty, Justice "),
            ("Chile", "Ratify OP-CAT", "", ""),
        ],
    )
    found = read_examples(path)
    assert len(found) == 3
    assert found[1].issues == ("Death penalty", "Justice")
    assert found[2].issues == () and found[2].action is None
    assert {e.session for e in found} == {9}


def test_read_examples_names_the_line_of_a_bad_action(tmp_path: Path):
    path = write_uprinfo_csv(tmp_path / "u.csv", [("Chile", "Ratify OP-CAT", "7", "")])
    with pytest.raises(ImportFailed, match="line 2"):
        read_examples(path)


def test_split_by_session_keeps_unknown_sessions_in_training():
    rows = [Example("a", "1" * 40, 3, (), 1), Example("b", "2" * 40, 15, (), 1)]
    rows.append(Example("c", "3" * 40, None, (), 1))
    train_part, test_part = split_by_session(rows, 14)
    assert [e.text for e in train_part] == ["a", "c"]
    assert [e.text for e in test_part] == ["b"]


def test_label_matrix():
    rows = [Example("a", "1" * 40, 1, ("x", "z"), 1), Example("b", "2" * 40, 1, ("y",), 2)]
    assert _label_matrix(rows, ["x", "y", "z"]).tolist() == [[1, 0, 1], [0, 1, 0]]


def test_thresholds_calibration_and_temperature_behave():
    rng = np.random.default_rng(0)
    y = (rng.random((400, 3)) < 0.3).astype(np.int8)
    margins = np.where(y == 1, 0.5, -0.8) + rng.normal(0, 0.3, y.shape)
    thresholds = tune_thresholds(margins, y, TrainingParams())
    assert thresholds.shape == (3,) and np.all(thresholds > -0.8) and np.all(thresholds < 0.3)
    a, b = fit_platt(margins - thresholds, y)
    assert a > 0  # higher margin, higher probability
    labels = rng.integers(0, 3, 300)
    action_margins = rng.normal(0, 1, (300, 3))
    action_margins[np.arange(300), labels] += 2
    assert 0.02 <= fit_temperature(action_margins, labels) <= 5.0


def test_tiny_model_predicts_the_obvious_cases(trained: Model):
    issues = trained.predict_issues(["Abolish the death penalty"])[0]
    assert issues[0].label == DP
    action = trained.predict_action(
        ["Abolish the death penalty", "Continue its efforts to combat trafficking in persons"],
        explain=3,
    )
    assert action[0].category == 5
    assert action[1].category == 2
    assert "continue" in " ".join(action[1].words)
    assert abs(sum(action[1].probabilities.values()) - 1) < 1e-3
    issues = trained.predict_issues(["Consider ratifying the Convention against Torture"])[0]
    assert {i.label for i in issues} >= {INSTRUMENTS, TORTURE}
    assert trained.predict_action(["Continue its efforts in every field"])[0].category == 2


def test_every_text_gets_at_least_one_issue(trained: Model):
    for issues in trained.predict_issues(["", "zzzz", "Something unrelated entirely"]):
        assert len(issues) >= 1
        assert all(0.0 <= i.score <= 1.0 for i in issues)


def test_training_is_reproducible(trained: Model):
    again, _report = train(examples(), TrainingParams(n_jobs=1, validation_sessions=2))
    texts = ["Abolish the death penalty", "Continue to fight trafficking", "Ratify the CRC"]
    assert np.array_equal(trained.issue_threshold, again.issue_threshold)
    assert trained.predict_issues(texts) == again.predict_issues(texts)
    assert trained.predict_action(texts) == again.predict_action(texts)


def test_save_and_load_round_trip(trained: Model, tmp_path: Path):
    path = trained.save(tmp_path / "m.npz")
    loaded = Model.load(path)
    texts = ["Abolish the death penalty", "Take measures against trafficking"]
    assert loaded.version == trained.version
    assert loaded.issue_labels == trained.issue_labels
    assert loaded.predict_issues(texts) == trained.predict_issues(texts)
    assert loaded.predict_action(texts, explain=2) == trained.predict_action(texts, explain=2)
    assert not path.with_name(path.name + ".partial").exists()


def test_a_bad_artifact_is_reported_not_crashed(tmp_path: Path):
    from uprhub.classifier.model import ModelUnavailable

    with pytest.raises(ModelUnavailable):
        Model.load(tmp_path / "missing.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ModelUnavailable):
        Model.load(broken)


def test_evaluate_reports_figures_and_what_was_seen_in_training(trained: Model):
    rows = examples(1)
    rows.append(Example("Fight trafficking of girls", "f" * 40, 7, (TRAFFICKING,), 4))
    result = evaluate(trained, rows)
    for key in ("n", "issues_micro_f1", "issues_macro_f1", "action_accuracy", "action_macro_f1"):
        assert result[key] is not None
    assert result["model_version"] == trained.version
    assert result["seen_in_training"] == len(rows) - 1
    assert result["unseen"]["n"] == 1
    assert result["issues_micro_f1"] > 0.8


def test_holdout_trains_on_earlier_sessions_only():
    result = holdout(examples(6), 4, TrainingParams(n_jobs=1, validation_sessions=1))
    assert result["split"] == "sessions 1-4 -> 5-6"
    assert result["n"] == 2 * len(examples(1))
    # the same texts recur in every session: all "seen", and there is no unseen subset left
    assert result["seen_in_training"] == result["n"]


def test_training_needs_labels():
    with pytest.raises(ValueError):
        train([Example("a", "1" * 40, 1, (), None)])


def test_nb_ratio_favours_terms_of_the_label_and_is_neutral_without_smoothing():
    import scipy.sparse as sp

    # columns: a term only in positives, one only in negatives, one everywhere
    present = sp.csr_matrix(np.array([[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1]], np.float32))
    y = np.array([1, 1, 0, 0])
    ratio = nb_ratio(present, y, alpha=1.0)
    assert ratio[0] > 0 > ratio[1]
    assert abs(ratio[2]) < abs(ratio[0])
    assert ratio[0] == pytest.approx(-ratio[1])
    assert np.array_equal(nb_ratio(present, y, alpha=0.0), np.ones(3, np.float32))
