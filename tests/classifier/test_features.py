"""The feature pipeline: normalisation, the channels' views, fitting, storage."""

from __future__ import annotations

import numpy as np
import pytest

from uprhub.classifier.features import (
    ACTION_CHANNELS,
    Featurizer,
    clause_document,
    head_document,
    normalise,
    readable,
)


def test_normalise_folds_case_quotes_and_spaces():
    assert normalise("  Ratify  the\nPeople’s “Charter” ") == 'ratify the people\'s "charter"'
    assert normalise("") == ""


def test_head_document_marks_positions():
    tokens = head_document("continue its efforts to combat trafficking in persons").split()
    assert tokens[:5] == ["h0_continue", "h1_its", "h2_efforts", "h3_to", "h4_combat"]
    assert "hh0_continue_its" in tokens
    assert "h3_continue_its_efforts" in tokens
    assert "h5_trafficking" not in " ".join(tokens)
    assert head_document("") == ""


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ("adopt a law on violence, including by raising awareness", "adopt a law on violence"),
        (
            "take measures to protect children by adopting a law",
            "take measures to protect children ",
        ),
        ("ratify the optional protocol", "ratify the optional protocol"),
    ],
)
def test_clause_document_is_the_main_clause(text, clause):
    assert clause_document(text) == clause


def test_readable_feature_names():
    assert readable("head", "h0_continue") == "continue"
    assert readable("head", "hh0_take_all") == "take all"
    assert readable("word", "death penalty") == "death penalty"


TEXTS = [
    "Abolish the death penalty",
    "Continue its efforts to combat trafficking",
    "Consider ratifying the Convention against Torture",
    "Take measures to protect children",
]


def test_fit_and_transform_shapes_and_unit_rows():
    featurizer = Featurizer.fit(TEXTS)
    issue_x, action_x = featurizer.transform(TEXTS)
    assert issue_x.shape == (4, featurizer.sizes["word"] + featurizer.sizes["char"])
    assert action_x.shape[1] == sum(featurizer.sizes[c] for c in ACTION_CHANNELS)
    # each channel block is unit length: two blocks → squared row norm 2
    norms = np.asarray(issue_x.multiply(issue_x).sum(axis=1)).ravel()
    assert np.allclose(norms, 2.0, atol=1e-5)
    # unknown words are ignored, not an error
    unseen = featurizer.issue_matrix(["zzzz qqqq"])
    assert unseen.shape[0] == 1


def test_storage_round_trip_gives_identical_features():
    featurizer = Featurizer.fit(TEXTS)
    again = Featurizer.from_arrays(featurizer.to_arrays())
    for a, b in zip(featurizer.transform(TEXTS), again.transform(TEXTS), strict=True):
        assert (a != b).nnz == 0
    assert again.sizes == featurizer.sizes


def test_texts_without_words_leave_channels_empty_but_working():
    featurizer = Featurizer.fit(["123", "456"])
    issue_x, action_x = featurizer.transform(["789", "abolish"])
    assert issue_x.shape[0] == action_x.shape[0] == 2
    again = Featurizer.from_arrays(featurizer.to_arrays())
    assert again.action_matrix(["x"]).shape[0] == 1
