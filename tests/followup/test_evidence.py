"""The ranking itself, on small hand-made passages (no database)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from uprhub.followup import evidence
from uprhub.followup.evidence import EvidenceFinder, Passage, Query

DOC2 = "A/HRC/WG.6/99/XYZ/2"
DOC3 = "A/HRC/WG.6/99/XYZ/3"
PASSAGES = [
    Passage(
        DOC2,
        12,
        "The Committee recommended establishing a moratorium on the death penalty at the "
        "federal level. It regretted an execution by nitrogen gas.",
        "Right to life, liberty and security of person",
    ),
    Passage(
        DOC2,
        13,
        "The Special Rapporteur urged the State to close the Guantanamo Bay detention facility.",
        "Human rights and counter-terrorism",
    ),
    Passage(
        DOC3,
        20,
        "DHF expressed concern about an order reinstating capital punishment for federal crimes.",
        "Right to life, liberty and security of person",
    ),
    Passage(
        DOC3,
        21,
        "Several submissions reported deplorable detention conditions of migrants, including "
        "overcrowding. JS12 deplored the suspension of asylum processing.",
        "Migrants, refugees and asylum-seekers",
    ),
    Passage(
        DOC3,
        22,
        "Recommendations were made to establish an independent national human rights "
        "institution in line with the Paris Principles.",
        "National human rights framework",
    ),
]


class WordHashEncoder:
    """A stand-in for the MiniLM encoder: unit vectors of hashed words (deterministic)."""

    model_id = "test-hash"
    dimension = 64

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in evidence.words(text):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


def _ranked(method: str, text: str, encoder=None, themes=()) -> list[tuple[str, int]]:
    finder = EvidenceFinder(PASSAGES, method=method, encoder=encoder)
    (found,) = finder.rank([Query(text, tuple(themes))], limit=5)
    return [(e.document, e.paragraph) for e in found]


@pytest.mark.parametrize("method", [m for m in evidence.METHODS if m != evidence.SEMANTIC])
def test_every_method_finds_the_same_measure_first(method):
    ranked = _ranked(method, "Close the Guantanamo detention centre as soon as possible")
    assert ranked[0] == (DOC2, 13)


def test_advocates_terms_meet_other_words():
    # "capital punishment" is the same concept as "death penalty": with the terms, both
    # death penalty paragraphs come first.
    text = "Establish a moratorium on capital punishment"
    assert set(_ranked(evidence.TFIDF_TERMS, text)[:2]) == {(DOC2, 12), (DOC3, 20)}


def test_fused_with_an_encoder_and_themes():
    finder = EvidenceFinder(PASSAGES, method=evidence.FUSED, encoder=WordHashEncoder())
    assert finder.used == evidence.FUSED
    queries = [
        Query("Improve the detention conditions of migrants", ("Migrants",)),
        Query(
            "Establish a national human rights institution",
            ("National Human Rights Institution (NHRI)",),
        ),
    ]
    first, second = finder.rank(queries, limit=3)
    assert (first[0].document, first[0].paragraph) == (DOC3, 21)
    assert (second[0].document, second[0].paragraph) == (DOC3, 22)


def test_without_an_encoder_fused_is_lexical():
    assert EvidenceFinder(PASSAGES).used == "fused-lexical"
    with pytest.raises(evidence.semantic.SemanticUnavailable):
        EvidenceFinder(PASSAGES, method=evidence.SEMANTIC)


def test_scores_are_between_0_and_1_best_first_and_zero_is_left_out():
    finder = EvidenceFinder(PASSAGES, method=evidence.BM25)
    (found,) = finder.rank([Query("Abolish the death penalty")], limit=5)
    scores = [e.score for e in found]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert len(found) < len(PASSAGES)  # paragraphs sharing no word are not suggested
    (nothing,) = finder.rank([Query("zzz qqq")], limit=5)
    assert nothing == []


def test_quote_is_the_closest_sentence():
    (found,) = EvidenceFinder(PASSAGES, method=evidence.TFIDF).rank(
        [Query("Investigate executions by nitrogen gas")], limit=1
    )
    assert found[0].quote == "It regretted an execution by nitrogen gas."
    assert found[0].as_dict() == {
        "document": DOC2,
        "paragraph": 12,
        "score": found[0].score,
        "quote": "It regretted an execution by nitrogen gas.",
    }


def test_no_passages_no_evidence():
    assert EvidenceFinder([], method=evidence.FUSED).rank([Query("anything")]) == [[]]


def test_background_paragraphs_are_not_evidence():
    text = "\n".join(
        [
            "I. Background",
            "1. The present report was prepared pursuant to Human Rights Council resolutions.",
            "II. Information",
            "Right to life",
            "2. The Human Rights Council was told about executions.",
        ]
    )
    passages = evidence.passages_of([(DOC2, text)])
    assert [(p.number, p.heading) for p in passages] == [(2, "Right to life")]


def test_words_leave_out_boilerplate_and_numbers():
    assert evidence.words("The United States should ensure 12 executions stop") == [
        "execut",
        "stop",
    ]


class RefusingEncoder(WordHashEncoder):
    """Encodes passages, refuses the recommendation whose vector is stored."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        assert "Close the Guantanamo detention centre" not in texts
        return super().encode(texts)


def test_stored_recommendation_vectors_are_reused(monkeypatch):
    encoder = RefusingEncoder()
    text = "Close the Guantanamo detention centre"
    key = hashlib.sha1(text.encode()).hexdigest()
    store = evidence.semantic.VectorStore(
        np.array([key], dtype=evidence.semantic.KEY_DTYPE),
        WordHashEncoder().encode([text]).astype(np.float16),
        encoder.model_id,
    )
    monkeypatch.setattr(evidence.semantic, "get_store", lambda: store)
    finder = EvidenceFinder(PASSAGES, method=evidence.SEMANTIC, encoder=encoder)
    (found,) = finder.rank([Query(text, key=key)], limit=1)
    assert (found[0].document, found[0].paragraph) == (DOC2, 13)


def test_quote_marks_sentences_left_out():
    paragraph = (
        "Detention at Guantanamo continued. Food and prayer had improved. "
        "Detention at Guantanamo must end."
    )
    finder = EvidenceFinder([Passage(DOC2, 1, paragraph)], method=evidence.TFIDF)
    quote = evidence.best_sentences("End detention at Guantanamo", paragraph, finder.plain)
    assert quote == "Detention at Guantanamo continued. … Detention at Guantanamo must end."


class CountingEncoder(WordHashEncoder):
    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return super().encode(texts)


def test_sentence_vectors_are_kept_between_runs(tmp_path):
    cache = tmp_path / "followup" / "sentences-test.npz"
    first = CountingEncoder()
    EvidenceFinder(PASSAGES, method=evidence.SEMANTIC, encoder=first, cache=cache)
    assert len(first.encoded) == 7 and cache.exists()
    again = CountingEncoder()
    finder = EvidenceFinder(PASSAGES, method=evidence.SEMANTIC, encoder=again, cache=cache)
    assert again.encoded == []
    (found,) = finder.rank([Query("Close the Guantanamo detention facility")], limit=1)
    assert (found[0].document, found[0].paragraph) == (DOC2, 13)
    assert len(again.encoded) == 1  # the recommendation only
    # The recommendation's vector is kept too: a recompute encodes nothing.
    third = CountingEncoder()
    finder = EvidenceFinder(PASSAGES, method=evidence.SEMANTIC, encoder=third, cache=cache)
    finder.rank([Query("Close the Guantanamo detention facility")], limit=1)
    assert third.encoded == []


def test_acronyms_defined_in_the_documents():
    texts = [
        "JS5 urged the USA to ratify the Rome Statute of the International Criminal Court (ICC).",
        "The Office of the United Nations High Commissioner for Human Rights (OHCHR) noted it.",
        "Several stakeholders informed that the United States of America (USA) had withdrawn.",
        "Immigration and Customs Enforcement (ICE) detained 60,000 people.",
    ]
    table = evidence.acronyms(texts)
    assert table["ICC"] == "International Criminal Court"
    assert table["ICE"] == "Immigration and Customs Enforcement"
    # Initials that skip words are not guessed (nothing is rather than something wrong).
    assert "OHCHR" not in table
    assert "USA" not in table  # the State's name says nothing to the ranking
    expanded = evidence.expand_acronyms("It sanctioned the ICC. The ICC (again).", table)
    assert expanded == "It sanctioned the ICC (International Criminal Court). The ICC (again)."


def test_acronym_meets_its_long_form_quote_unchanged():
    passages = [
        Passage(DOC2, 1, "The Rome Statute of the International Criminal Court (ICC) was noted."),
        Passage(DOC3, 5, "The USA decided to sanction the ICC and its staff."),
        Passage(DOC3, 6, "Prison conditions remained harsh in several States."),
        Passage(DOC3, 7, "The court of appeal heard the criminal case in February."),
    ]
    finder = EvidenceFinder(passages, method=evidence.TFIDF)
    (found,) = finder.rank(
        [Query("Rescind the sanctions regarding the International Criminal Court")]
    )
    ranked = [(e.document, e.paragraph) for e in found]
    assert set(ranked[:2]) == {(DOC3, 5), (DOC2, 1)}
    quote = next(e.quote for e in found if e.paragraph == 5)
    assert quote == "The USA decided to sanction the ICC and its staff."
