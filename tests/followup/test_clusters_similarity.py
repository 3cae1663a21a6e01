"""The shared similarity: terms, TF-IDF, the optional sentence model and its clean fallback."""

from __future__ import annotations

import numpy as np
import pytest

from uprhub.followup import similarity
from uprhub.search import semantic


class SameForAll:
    """An encoder that finds every text identical (to see the fusion at work)."""

    model_id = "test-same"
    dimension = 2

    def encode(self, texts):
        return np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(texts), 1))


class Broken:
    model_id = "test-broken"
    dimension = 2

    def encode(self, texts):
        raise RuntimeError("model file damaged")


@pytest.fixture
def encoder():
    yield lambda e: semantic.set_encoder(e)
    semantic.set_encoder(None)


def test_terms_join_nouns_verbs_acronyms_and_concepts():
    abolish = set(similarity.terms("abolition of the death penalty"))
    assert set(similarity.terms("Abolishing the death penalty")) <= abolish
    assert "ratifi" in similarity.terms("ratification of CEDAW")
    assert set(similarity.terms("Ratify CEDAW")) == set(
        similarity.terms(
            "Ratify the Convention on the Elimination of All Forms of Discrimination against Women"
        )
    )
    assert similarity.terms("Take measures to ensure") == []  # boilerplate only


TEXTS = ["Close Guantanamo", "Abolish the death penalty", "Ratify the CRC"]


def test_tfidf_alone_by_default():
    found = similarity.similarity(TEXTS)
    assert found.method == similarity.TFIDF
    assert found.matrix.shape == (3, 3)
    assert np.allclose(np.diag(found.matrix), 1.0)
    assert found.matrix[0, 1] == 0.0


def test_semantic_is_averaged_in_when_asked(encoder):
    encoder(SameForAll())
    found = similarity.similarity(TEXTS, use_semantic=True)
    assert found.method == similarity.FUSED
    assert found.matrix[0, 1] == pytest.approx(0.5)


def test_a_broken_model_falls_back_to_tfidf(encoder, caplog):
    encoder(Broken())
    found = similarity.similarity(TEXTS, TEXTS[:1], use_semantic=True)
    assert found.method == similarity.TFIDF
    assert found.matrix.shape == (3, 1)
    assert "TF-IDF alone" in caplog.text


def test_no_content_words():
    found = similarity.similarity(["Take measures"], ["Ensure"])
    assert found.matrix.tolist() == [[0.0]]


@pytest.mark.django_db
def test_clusters_and_links_name_the_fused_method(encoder):
    from tests.followup.carry_data import add, usa_cycles
    from uprhub.followup import carry_forward, clusters

    _state, first, third = usa_cycles()
    for n, text in enumerate(TEXTS):
        add(third, text, f"26.{n + 1}")
    add(first, "Close the Guantanamo detention centre")
    encoder(SameForAll())
    # TF-IDF says 0 for two of them, the encoder 1: 0.5 on average.
    run = clusters.compute_clusters(third, use_semantic=True, threshold=0.45)
    assert run.method == "fused-0.45"
    assert [len(c.paragraphs) for c in run.clusters] == [3]  # the encoder finds all alike
    linked = carry_forward.link_cycles(third, use_semantic=True)
    assert linked.method == "fused-0.5"
    assert {link["later"] for link in linked.links} == {"26.1", "26.2", "26.3"}
