"""How alike two recommendations are: the measure-level text similarity shared by clusters
(near-identical recommendations of one review) and carry-forward links (the same measure asked
again in a later cycle).

The score is the cosine of TF-IDF vectors (scikit-learn) over *terms*:

* content words reduced to their Snowball stem ("abolishing" and "abolish" are one word), with
  stop words and UPR boilerplate ("take measures", "ensure", "continue", "human rights", "the
  United States"…) left out: every recommendation says them, they say nothing of the measure;
* treaty acronyms spelt out first ("CEDAW" is the Convention on the Elimination of All Forms of
  Discrimination against Women), as in :mod:`uprhub.reports.same_ask`;
* the advocates' concepts a text names (:mod:`uprhub.search.synonyms`) as extra tokens, so
  "capital punishment" meets "death penalty".

IDF is computed over the texts compared (one review's, or two cycles' of one State), so a word
every one of them uses ("death" in a review where a dozen ask about the death penalty) weighs
less than a rare one; sublinear term frequency keeps a long list of treaties from drowning a
short ask.

Optionally (``use_semantic=True`` and the ``semantic`` extra installed, see
:mod:`uprhub.search.semantic`), the TF-IDF cosine is averaged with the cosine of MiniLM
sentence embeddings. Without the extra this falls back to TF-IDF alone, silently: callers read
:attr:`Similarity.method` to know which was used. Thresholds in :mod:`.clusters` and
:mod:`.carry_forward` were chosen for TF-IDF alone, the default.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer
from sklearn.feature_extraction.text import TfidfVectorizer

from uprhub.core.text import STOP_WORDS
from uprhub.reports.same_ask import ACRONYMS
from uprhub.search import semantic, synonyms

log = logging.getLogger(__name__)

TFIDF = "tfidf"
FUSED = "fused"

# UPR boilerplate: words nearly every recommendation uses, whatever the measure. Kept short on
# purpose: the verbs that *are* the measure ("ratify", "abolish", "close") stay.
_BOILERPLATE = frozenset(
    """
    recommend recommended recommendation recommendations ensure ensuring continue continued
    continuing take taking measure measures effort efforts step steps consider considering
    united states state usa america american government federal level levels also including
    include particular particularly relevant necessary appropriate effective effectively human
    rights right further full fully order well country national concrete
    """.split()  # noqa: SIM905 - a word list reads better as words
)
_ACRONYM = re.compile(r"\b(" + "|".join(ACRONYMS) + r")\b")
_WORD = re.compile(r"[^\W\d_]{2,}")
_CONCEPT = "\u2063"  # prefix of concept tokens (an invisible separator): never a word
_stemmers = threading.local()
# Stems of a noun and its verb that Snowball leaves apart ("abolition" / "abolish"): one
# measure, however it is phrased. Acceding to a treaty is, for the measure, ratifying it.
_SAME_STEM = {
    "abolit": "abolish",
    "ratif": "ratifi",
    "acced": "ratifi",
    "closur": "close",
    "moratoria": "moratorium",
}


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A Snowball stemmer keeps state while it works: one per thread.
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    stem = stemmer.stemWord(word)
    return _SAME_STEM.get(stem, stem)


def terms(text: str) -> list[str]:
    """The terms a text is compared by: stems of its content words, then its concepts."""
    text = _ACRONYM.sub(lambda m: ACRONYMS[m.group(1)], text or "")
    found = [
        _stem(word)
        for word in _WORD.findall(synonyms.fold(text))
        if word not in STOP_WORDS and word not in _BOILERPLATE
    ]
    tokens = re.findall(r"[^\W_]+", text.lower())
    found += [f"{_CONCEPT}{c.label}" for c in synonyms.expand_tokens(tokens).concepts]
    return found


def content_words(text: str) -> list[str]:
    """The content words of a text as written (not stemmed), in order: for labels."""
    text = _ACRONYM.sub(lambda m: m.group(1), text or "")
    seen: dict[str, None] = {}
    for word in _WORD.findall(text):
        lowered = word.lower()
        if lowered not in STOP_WORDS and lowered not in _BOILERPLATE:
            seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True)
class Similarity:
    """Pairwise similarities of ``left`` × ``right`` texts (0..1), and the method used."""

    matrix: np.ndarray
    method: str


def _tfidf(left: Sequence[str], right: Sequence[str] | None) -> np.ndarray:
    """Cosines of TF-IDF vectors; IDF over ``left`` and ``right`` (``right`` None: ``left``
    against itself, each text counted once)."""
    every = [*left, *(right or ())]
    width = len(left) if right is None else len(right)
    if not every:
        return np.zeros((len(left), width))
    vectorizer = TfidfVectorizer(
        analyzer=terms, sublinear_tf=True, norm="l2", smooth_idf=True, dtype=np.float64
    )
    try:
        vectors = vectorizer.fit_transform(every)
    except ValueError:  # no text has a single content word
        return np.zeros((len(left), width))
    a = vectors[: len(left)]
    b = a if right is None else vectors[len(left) :]
    return np.asarray((a @ b.T).todense(), dtype=np.float64).clip(0.0, 1.0)


def _semantic(left: Sequence[str], right: Sequence[str]) -> np.ndarray | None:
    try:
        encoder = semantic.get_encoder()
        a = encoder.encode(list(left))
        b = encoder.encode(list(right))
    except semantic.SemanticUnavailable:
        return None
    except Exception:  # a broken model must not stop clustering: TF-IDF alone answers
        log.warning("semantic similarity failed; TF-IDF alone is used", exc_info=True)
        return None
    return np.asarray(a @ b.T, dtype=np.float64).clip(0.0, 1.0)


def similarity(
    left: Sequence[str], right: Sequence[str] | None = None, *, use_semantic: bool = False
) -> Similarity:
    """Similarities of every text of ``left`` with every text of ``right`` (``left`` itself
    when None). IDF comes from both lists together."""
    right_texts: Sequence[str] = left if right is None else right
    lexical = _tfidf(left, right)
    if use_semantic and len(left) and len(right_texts):
        dense = _semantic(left, right_texts)
        if dense is not None:
            return Similarity((lexical + dense) / 2.0, FUSED)
    return Similarity(lexical, TFIDF)
