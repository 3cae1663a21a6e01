"""The feature pipeline: normalisation, the channels' views, fitting, storage."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from uprhub.classifier import features
from uprhub.classifier.features import (
    ACTION_CHANNELS,
    SPECS,
    Featurizer,
    _vectoriser_kwargs,
    clause_document,
    fit_channel,
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


# Texts that test the char channel's word-by-word shortcut against scikit-learn itself: runs of
# white space of every kind, words shorter than the n-grams, repeated words, no words at all.
ODD_TEXTS = [
    "ratify the cedaw op-cat, and ratify it again",
    "  a\tb\u00a0c  ",
    "x",
    "ab ab ab",
    "",
    "   ",
    "é\u2003ü women's rights\nprotect",
    "death penalty; death-penalty",
]


def _scikit_learn_char_fit(texts, min_df):
    vectoriser = TfidfVectorizer(
        min_df=min_df, sublinear_tf=True, **_vectoriser_kwargs(SPECS["char"])
    ).fit(texts)
    vocabulary = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.get)
    return vocabulary, vectoriser.idf_.astype(np.float32)


@pytest.mark.parametrize("min_df", [1, 2])
def test_char_channel_fit_equals_scikit_learn(min_df):
    texts = [normalise(t) for t in ODD_TEXTS + TEXTS]
    channel = features._fit_char_channel(SPECS["char"], texts, min_df)
    vocabulary, idf = _scikit_learn_char_fit(texts, min_df)
    assert channel.vocabulary == vocabulary
    assert channel.idf.dtype == np.float32
    assert np.array_equal(channel.idf, idf)


def test_char_channel_counts_equal_scikit_learn():
    channel = fit_channel("char", [normalise(t) for t in TEXTS + ODD_TEXTS[:4]])
    reference = CountVectorizer(
        vocabulary={term: i for i, term in enumerate(channel.vocabulary)},
        **_vectoriser_kwargs(SPECS["char"]),
    )
    view = ODD_TEXTS + ["unknown words only: qqqq zzzz"] + TEXTS
    ours = channel._char_counts(view)
    theirs = reference.transform(view).tocsr()
    assert ours.shape == theirs.shape
    assert (ours != theirs).nnz == 0
    assert ours.has_sorted_indices
    assert ours[0].sum() > 0  # not trivially empty


def test_char_channel_word_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(features, "WORD_CACHE_SIZE", 3)
    channel = fit_channel("char", [normalise(t) for t in TEXTS])
    first = channel.transform(["abolish the death penalty now please"]).toarray()
    assert len(channel._word_features) == 3
    again = channel.transform(["abolish the death penalty now please"]).toarray()
    assert np.array_equal(first, again)  # words past the bound are worked out each time


def test_char_channel_fits_nothing_from_texts_without_characters():
    assert fit_channel("char", ["", "   "]).size == 0


@pytest.mark.parametrize("name", ["word", "head", "clause"])
def test_word_channel_fit_equals_scikit_learn(name):
    # Above SMALL_CORPUS texts, so each channel's own min_df applies.
    texts = [normalise(t) for t in (ODD_TEXTS + TEXTS) * 130]
    texts += [normalise(f"{t} number {i}") for i, t in enumerate(TEXTS * 5)]
    channel = fit_channel(name, texts)
    vectoriser = TfidfVectorizer(
        min_df=SPECS[name].min_df, sublinear_tf=True, **_vectoriser_kwargs(SPECS[name])
    ).fit(features._view(name, texts))
    assert channel.vocabulary == sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.get)
    assert "number" in channel.vocabulary or name == "head"
    assert channel.idf.dtype == np.float32
    assert np.array_equal(channel.idf, vectoriser.idf_.astype(np.float32))


@pytest.mark.parametrize(
    "texts",
    [
        ODD_TEXTS + TEXTS + ["Take all measures to abolish the death penalty, by law"],
        ["123", "456"],  # no words: the head channel stays empty
    ],
)
def test_fit_transform_equals_fit_then_transform(texts):
    fitted, issue_x, action_x = Featurizer.fit_transform(texts)
    again = Featurizer.fit(texts)
    assert again.sizes == fitted.sizes
    reference_issue, reference_action = again.transform(texts)
    for ours, theirs in ((issue_x, reference_issue), (action_x, reference_action)):
        assert ours.shape == theirs.shape
        assert np.array_equal(ours.indptr, theirs.indptr)
        assert np.array_equal(ours.indices, theirs.indices)
        assert np.array_equal(ours.data, theirs.data)  # bit for bit: training = prediction
    assert issue_x.nnz > 0 and action_x.nnz > 0
