"""The evidence finder: for each recommendation of a State's cycle, the paragraphs of the State's
next-cycle UN documents that speak of the same measure, best first.

Evidence of implementation is what the next review's documents say: the national report (/1,
when the State wrote one), the compilation of UN information (/2) and the summary of
stakeholders' submissions (/3). A coalition assessing 347 recommendations needs, for each, the
few paragraphs worth quoting; this ranks them, a person accepts or rejects them.

How paragraphs are ranked (each measured on the hand-labelled sample by
``bench/followup_evidence.py``; figures in the module's docstring there):

* ``tfidf``: cosine of TF-IDF vectors over stemmed words, UPR boilerplate left out (the
  baseline);
* ``tfidf-terms``: the same with the advocates' terms of :mod:`uprhub.search.synonyms` added as
  concept tokens on both sides ("capital punishment" meets "death penalty", "Native American"
  meets "Indigenous");
* ``bm25``: Okapi BM25 over the words and concept tokens;
* ``semantic``: the cosine of MiniLM sentence embeddings (:mod:`uprhub.search.semantic`, the
  optional ``semantic`` extra), a paragraph scoring as its best sentence or clause;
* ``fused`` (the default): ``tfidf-terms`` with pseudo-relevance feedback and ``semantic``,
  each scaled to its best paragraph for that recommendation (so the narrow range of sentence
  cosines weighs as much as the wide range of TF-IDF ones) and averaged, plus a little for a
  paragraph whose heading names the recommendation's theme; without the extra, the same without
  ``semantic``. The score it reports keeps the unscaled level (see `EvidenceFinder.scores`).

Every method reads acronyms as the documents define them: "the Rome Statute of the
International Criminal Court (ICC)" makes every later "ICC" read "ICC (International Criminal
Court)" for ranking (never in the quote), so a recommendation naming the court finds the
paragraphs naming "the ICC".

Paragraphs of the "Background" part (how the document was prepared) are never evidence.

The results are plain data (:class:`RecommendationEvidence`, keyed by recommendation id,
document symbol and paragraph number), so a later step can store them as they are.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import snowballstemmer
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uprhub.core.text import STOP_WORDS
from uprhub.search import semantic, synonyms

from . import selectors
from .paragraphs import parse
from .selectors import EvidenceError

__all__ = ["EvidenceError", "EvidenceFinder", "find_evidence"]

log = logging.getLogger(__name__)

TFIDF = "tfidf"
TFIDF_TERMS = "tfidf-terms"
BM25 = "bm25"
SEMANTIC = "semantic"
FUSED = "fused"
METHODS = (TFIDF, TFIDF_TERMS, BM25, SEMANTIC, FUSED)
DEFAULT_LIMIT = 5

BM25_K1 = 1.2
BM25_B = 0.75
# Chosen on the labelled sample (bench/followup_evidence.py), where BM25 added nothing to the
# fusion: the weight of the heading under which a paragraph sits (the document's own theme)
# against the recommendation's themes, with and without the encoder.
HEADING_WEIGHT = 0.15
HEADING_WEIGHT_LEXICAL = 0.10
# Pseudo-relevance feedback: the first ranking's best paragraphs lend their words to the query,
# so a paragraph on the same measure in other words ("police force" / "law enforcement") rises.
FEEDBACK_PARAGRAPHS = 2
FEEDBACK_WEIGHT = 0.5
# The part of a document that only says how it was prepared: never evidence.
_NOT_EVIDENCE_SECTIONS = frozenset({"Background", "Introduction"})
# UPR boilerplate every recommendation and paragraph shares: it says nothing of the measure.
_BOILERPLATE = frozenset(
    """
    recommend recommended recommendation recommendations ensure ensuring continue
    continued take taking measure measures effort efforts step steps consider
    considering united states state usa america government federal level levels also
    including include particular relevant necessary appropriate adopt adopted strengthen
    strengthening guarantee guaranteed committee special rapporteur expert independent
    submission submissions stakeholder several stressed noted expressed concern
    concerned urged called recommending
    """.split()  # noqa: SIM905 - a word list reads better as words
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“]?[A-Z])")
_CONCEPT = "\u2063"  # prefix of concept tokens (an invisible separator): never a word
# "Rome Statute of the International Criminal Court (ICC)": capitalised words (small words
# between them), then the acronym in brackets.
_ACRONYM_DEFINITION = re.compile(
    r"((?:[A-Z][\w'’-]*\s+(?:(?:of|the|and|for|on|in|to|against)\s+)*){1,10})"
    r"\(([A-Z][A-Za-z]{1,9})\)"
)
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "against"})


@dataclass(frozen=True)
class Passage:
    """A numbered paragraph of a UN document."""

    document: str
    number: int
    text: str
    heading: str = ""


@dataclass(frozen=True)
class Query:
    """A recommendation as the finder sees it: its text and the names of its themes."""

    text: str
    themes: tuple[str, ...] = ()
    #: ``Recommendation.text_key``: finds the text's vector in the similarity store, if any.
    key: str = ""


@dataclass(frozen=True)
class Evidence:
    document: str
    paragraph: int
    score: float
    quote: str

    def as_dict(self) -> dict[str, object]:
        return {
            "document": self.document,
            "paragraph": self.paragraph,
            "score": self.score,
            "quote": self.quote,
        }


@dataclass(frozen=True)
class RecommendationEvidence:
    """The evidence suggested for one recommendation (``recommendation_id`` for storing it)."""

    recommendation: str
    recommendation_id: int | None
    evidence: tuple[Evidence, ...]
    method: str = FUSED

    def as_dict(self) -> dict[str, object]:
        return {
            "recommendation": self.recommendation,
            "evidence": [item.as_dict() for item in self.evidence],
        }


# --- words ---------------------------------------------------------------------------------------

_stemmers = threading.local()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Stemmed content words: no stop words, no UPR boilerplate, no numbers."""
    lowered = [w for w in _WORD.findall(synonyms.fold(text)) if w not in STOP_WORDS]
    return [_stem(w) for w in lowered if w not in _BOILERPLATE]


def concepts(text: str) -> list[str]:
    """The advocates' concepts a text names, as tokens (one per mention)."""
    tokens = re.findall(r"[^\W_]+", text.lower())
    expansion = synonyms.expand_tokens(tokens)
    return [f"{_CONCEPT}{concept.label}" for concept in expansion.concepts]


def terms(text: str, *, with_concepts: bool) -> list[str]:
    found = words(text)
    if with_concepts:
        found += concepts(text)
    return found


def acronyms(texts: Iterable[str]) -> dict[str, str]:
    """The acronyms the texts define, with their long form: the shortest run of capitalised
    words before "(ICC)" whose initials spell it ("International Criminal Court", not "Rome
    Statute of the International Criminal Court"). The first definition wins. An acronym whose
    long form says nothing to the ranking (the State's own name: boilerplate) is left out."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _ACRONYM_DEFINITION.finditer(text):
            acronym, before = match.group(2), match.group(1).split()
            letters = [c for c in acronym if c.isupper()]
            for start in range(len(before) - 1, -1, -1):
                tail = before[start:]
                initials = [w[0] for w in tail if w.lower() not in _SMALL_WORDS]
                if initials == letters and tail[0][0].isupper():
                    if words(" ".join(tail)):
                        found.setdefault(acronym, " ".join(tail))
                    break
    return found


def expand_acronyms(text: str, table: dict[str, str]) -> str:
    """``text`` with "(long form)" after each acronym of ``table`` not already followed by it."""
    if not table:
        return text
    names = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
    pattern = re.compile(rf"\b({names})\b(?!\)|\s*\()")
    return pattern.sub(lambda m: f"{m.group(1)} ({table[m.group(1)]})", text)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


# --- the rankers ---------------------------------------------------------------------------------


class _Vocabulary:
    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        self.index: dict[str, int] = {}
        for tokens in documents:
            for token in tokens:
                self.index.setdefault(token, len(self.index))
        df = np.zeros(len(self.index), dtype=np.float64)
        for tokens in documents:
            for token in set(tokens):
                df[self.index[token]] += 1
        self.df = df
        self.n = len(documents)

    def counts(self, tokens: Iterable[str]) -> np.ndarray:
        row = np.zeros(len(self.index), dtype=np.float64)
        for token, count in Counter(tokens).items():
            column = self.index.get(token)
            if column is not None:
                row[column] = count
        return row


def _tfidf_matrix(rows: np.ndarray, idf: np.ndarray) -> np.ndarray:
    weighted = np.where(rows > 0, 1.0 + np.log(np.maximum(rows, 1.0)), 0.0) * idf
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    return weighted / np.maximum(norms, 1e-12)


class LexicalIndex:
    """TF-IDF and BM25 over a set of passages (dense numpy: a State's documents hold a few
    hundred paragraphs, so dense matrices are small and fast)."""

    def __init__(self, passages: Sequence[Passage], *, with_concepts: bool) -> None:
        self.with_concepts = with_concepts
        tokens = [terms(p.text, with_concepts=with_concepts) for p in passages]
        self.vocabulary = _Vocabulary(tokens)
        counts = (
            np.vstack([self.vocabulary.counts(t) for t in tokens]) if tokens else np.zeros((0, 0))
        )
        n, df = self.vocabulary.n, self.vocabulary.df
        self.idf = np.log((n + 1) / (df + 1)) + 1.0  # smoothed, as usual for TF-IDF
        self.vectors = _tfidf_matrix(counts, self.idf)
        # BM25: term frequencies saturate, long paragraphs are not favoured.
        lengths = counts.sum(axis=1)
        average = float(lengths.mean()) if len(lengths) else 1.0
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / max(average, 1e-9))
        self.bm25_tf = counts * (BM25_K1 + 1) / (counts + norm[:, None])
        self.bm25_idf = np.log(1 + (n - df + 0.5) / (df + 0.5))

    def query_counts(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.idf)))
        return np.vstack(
            [self.vocabulary.counts(terms(t, with_concepts=self.with_concepts)) for t in texts]
        )

    def tfidf_vectors(self, texts: Sequence[str]) -> np.ndarray:
        return _tfidf_matrix(self.query_counts(texts), self.idf)

    def tfidf(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), passages) cosines."""
        return self.tfidf_vectors(texts) @ self.vectors.T

    def bm25(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), passages) BM25 scores; a query word counts once."""
        present = (self.query_counts(texts) > 0).astype(np.float64) * self.bm25_idf
        return present @ self.bm25_tf.T


def _scaled(scores: np.ndarray) -> np.ndarray:
    """Each row divided by its maximum (0..1), so that methods can be added."""
    top = scores.max(axis=1, keepdims=True) if scores.size else scores
    return np.where(top > 0, scores / np.maximum(top, 1e-12), 0.0)


def semantic_available() -> bool:
    """The encoder can run (the extra is installed, or a test set one)."""
    try:
        semantic.get_encoder()
    except semantic.SemanticUnavailable:
        return False
    return True


def _pieces(text: str) -> list[str]:
    """What a paragraph is scored by: its sentences, and the clauses of a sentence listing
    several things ("… prolonged detention; expedited removal; separation of children …"),
    where one clause may be the recommendation's whole measure."""
    found: list[str] = []
    for sentence in sentences(text) or [text]:
        found.append(sentence)
        if ";" in sentence:
            found += [c for c in re.split(r";\s*", sentence) if len(c.split()) >= 4]
    return found


class SemanticIndex:
    """Paragraphs scored by their best sentence's (or clause's) cosine with the
    recommendation."""

    def __init__(
        self,
        passages: Sequence[Passage],
        encoder: semantic.Encoder,
        cache: Path | None = None,
    ) -> None:
        self.encoder = encoder
        pieces: list[str] = []
        owners: list[int] = []
        for number, passage in enumerate(passages):
            for piece in _pieces(passage.text):
                pieces.append(piece)
                owners.append(number)
        self.owners = np.array(owners, dtype=np.int64)
        self.count = len(passages)
        self.cache = cache
        self.vectors = self._encoded(pieces, cache)

    def _encoded(self, pieces: list[str], cache: Path | None) -> np.ndarray:
        """The sentences' vectors; with ``cache`` (a vector store file), those of sentences
        seen before are read back, and new ones added: documents do not change, so only the
        first run after an import pays for encoding them."""
        dimension = self.encoder.dimension
        if not pieces:
            return np.zeros((0, dimension), dtype=np.float32)
        if cache is None:
            return self.encoder.encode(pieces)
        # SHA-1 hex: the store's key format (an id, not security).
        digests = [hashlib.sha1(p.encode("utf-8")).hexdigest() for p in pieces]  # noqa: S324
        keys = np.array(digests, dtype=semantic.KEY_DTYPE)
        try:
            store = semantic.VectorStore.load(cache, self.encoder.model_id, dimension)
        except (OSError, ValueError):  # unreadable, or another model's: start again
            store = semantic.VectorStore.empty(self.encoder.model_id, dimension)
        rows = store.rows_of(keys)
        vectors = np.zeros((len(pieces), dimension), dtype=np.float32)
        known = rows >= 0
        vectors[known] = store.vectors[rows[known]].astype(np.float32)
        missing = np.flatnonzero(~known)
        if len(missing):
            vectors[missing] = self.encoder.encode([pieces[i] for i in missing])
            try:
                store.merged(keys[missing], vectors[missing]).save(cache)
            except OSError as error:  # a cache: the results stand without it
                log.warning("could not save %s: %s", cache, error)
        return vectors

    def query_vectors(self, texts: Sequence[str], keys: Sequence[str] = ()) -> np.ndarray:
        """The texts' vectors: from the similarity store where ``uprhub similarity embed`` (or
        the worker) already computed them, else from the sentence cache, encoded here otherwise
        (the slow part)."""
        vectors = np.zeros((len(texts), self.encoder.dimension), dtype=np.float32)
        missing = list(range(len(texts)))
        if any(keys):
            try:
                store = semantic.get_store()
            except (OSError, ValueError):  # unreadable, or another model's vectors
                store = None
            if store is not None and len(store) and store.model_id == self.encoder.model_id:
                rows = store.rows_of(np.asarray(keys, dtype=semantic.KEY_DTYPE))
                found = [i for i, row in enumerate(rows) if row >= 0 and keys[i]]
                vectors[found] = store.vectors[rows[found]].astype(np.float32)
                missing = sorted(set(missing) - set(found))
        if missing:
            # Kept with the sentences: a recommendation is ranked again at every recompute.
            vectors[missing] = self._encoded([texts[i] for i in missing], self.cache)
        return vectors

    def scores(self, texts: Sequence[str], keys: Sequence[str] = ()) -> np.ndarray:
        queries = self.query_vectors(texts, keys)
        per_sentence = queries @ self.vectors.T
        out = np.full((len(texts), self.count), -1.0)
        np.maximum.at(out.T, self.owners, per_sentence.T)  # best sentence per paragraph
        return np.clip(out, 0.0, 1.0)


@dataclass
class EvidenceFinder:
    """Ranks passages for recommendations with one method (see the module docstring)."""

    passages: Sequence[Passage]
    method: str = FUSED
    encoder: semantic.Encoder | None = None
    #: Where the documents' sentence vectors are kept between runs (None: not kept).
    cache: Path | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(self.method)
        # Ranked with the documents' acronyms spelled out; quoted as written.
        self.acronyms = acronyms(p.text for p in self.passages)
        read = [
            Passage(p.document, p.number, expand_acronyms(p.text, self.acronyms), p.heading)
            for p in self.passages
        ]
        self.plain = LexicalIndex(read, with_concepts=False)
        self.expanded = LexicalIndex(read, with_concepts=True)
        self.headings = LexicalIndex(
            [Passage("", 0, p.heading) for p in self.passages], with_concepts=True
        )
        self.semantic: SemanticIndex | None = None
        if self.method in (SEMANTIC, FUSED) and self.encoder is not None:
            self.semantic = SemanticIndex(read, self.encoder, self.cache)
        if self.method == SEMANTIC and self.semantic is None:
            raise semantic.SemanticUnavailable(SEMANTIC)

    @property
    def used(self) -> str:
        """The method really used ("fused-lexical": fused without the encoder)."""
        if self.method == FUSED and self.semantic is None:
            return f"{FUSED}-lexical"
        return self.method

    def _heading_match(self, queries: Sequence[Query]) -> np.ndarray:
        themes = [" ".join(q.themes) for q in queries]
        heading_vectors = self.headings.vectors
        return np.clip(self.headings.tfidf_vectors(themes) @ heading_vectors.T, 0.0, 1.0)

    def _feedback(self, texts: Sequence[str], first: np.ndarray) -> np.ndarray:
        """TF-IDF (with terms) of the query moved towards its best paragraphs (Rocchio)."""
        index = self.expanded
        queries = index.tfidf_vectors(texts)
        best = np.argsort(-first, axis=1, kind="stable")[:, :FEEDBACK_PARAGRAPHS]
        moved = queries + FEEDBACK_WEIGHT * index.vectors[best].mean(axis=1)
        moved /= np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-12)
        return np.clip(moved @ index.vectors.T, 0.0, 1.0)

    def scores(self, queries: Sequence[Query]) -> np.ndarray:
        """(len(queries), passages) scores in 0..1.

        ``fused`` ranks by its components scaled to each recommendation's best paragraph, which
        would give every recommendation's best paragraph about the same score, even where no
        paragraph speaks of the measure; so the scores are multiplied by the unscaled fusion's
        best, per recommendation: the order stays, the level says how close the best is.
        """
        texts = [expand_acronyms(q.text, self.acronyms) for q in queries]
        if not self.passages or not queries:
            return np.zeros((len(queries), len(self.passages)))
        if self.method == TFIDF:
            return np.clip(self.plain.tfidf(texts), 0.0, 1.0)
        if self.method == TFIDF_TERMS:
            return np.clip(self.expanded.tfidf(texts), 0.0, 1.0)
        if self.method == BM25:
            return _scaled(self.expanded.bm25(texts))
        # A query vector from the similarity store is of the text as written: use it only
        # when spelling out acronyms changed nothing.
        keys = [q.key if t == q.text else "" for t, q in zip(texts, queries, strict=True)]
        if self.method == SEMANTIC:
            assert self.semantic is not None
            return self.semantic.scores(texts, keys)
        lexical = np.clip(self.expanded.tfidf(texts), 0.0, 1.0)
        headings = self._heading_match(queries)
        if self.semantic is None:
            fed = self._feedback(texts, lexical)
            return (1 - HEADING_WEIGHT_LEXICAL) * fed + HEADING_WEIGHT_LEXICAL * headings
        meaning = self.semantic.scores(texts, keys)
        fed = self._feedback(texts, (lexical + meaning) / 2)
        raw = (1 - HEADING_WEIGHT) * (fed + meaning) / 2 + HEADING_WEIGHT * headings
        ranked = (1 - HEADING_WEIGHT) * (_scaled(fed) + _scaled(meaning)) / 2
        ranked += HEADING_WEIGHT * headings
        level = raw.max(axis=1, keepdims=True) / np.maximum(
            ranked.max(axis=1, keepdims=True), 1e-12
        )
        return np.clip(ranked * level, 0.0, 1.0)

    def rank(self, queries: Sequence[Query], limit: int = DEFAULT_LIMIT) -> list[list[Evidence]]:
        """For each query, its best ``limit`` passages with a quote, best first."""
        scores = self.scores(queries)
        results: list[list[Evidence]] = []
        for query, row in zip(queries, scores, strict=True):
            order = np.argsort(-row, kind="stable")[:limit]
            results.append(
                [
                    Evidence(
                        document=self.passages[i].document,
                        paragraph=self.passages[i].number,
                        score=round(float(row[i]), 3),
                        quote=best_sentences(query.text, self.passages[i].text, self.plain),
                    )
                    for i in order
                    if row[i] > 0
                ]
            )
        return results


def best_sentences(query: str, paragraph: str, index: LexicalIndex, most: int = 2) -> str:
    """The paragraph's sentence(s) closest to the recommendation (TF-IDF cosine), in their
    order; a second sentence only when it is nearly as close as the best, after " … " when
    sentences were left out between them (the quote stays verbatim)."""
    found = sentences(paragraph)
    if len(found) <= 1:
        return paragraph
    closeness = index.tfidf_vectors(found) @ index.tfidf_vectors([query])[0]
    best = int(np.argmax(closeness))
    chosen = {best}
    for number in np.argsort(-closeness)[1:most]:
        if closeness[number] > 0 and closeness[number] >= 0.75 * closeness[best]:
            chosen.add(int(number))
    picked = sorted(chosen)
    quote = found[picked[0]]
    for before, after in itertools.pairwise(picked):
        quote += (" " if after == before + 1 else " … ") + found[after]
    return quote


# --- from the database ---------------------------------------------------------------------------


def sentence_cache(model_id: str) -> Path:
    """The file keeping the documents' sentence vectors of one model (in the data directory,
    beside the similarity store)."""
    return Path(settings.DATA_DIR) / "followup" / f"sentences-{model_id}.npz"


def passages_of(documents: Iterable[tuple[str, str]]) -> list[Passage]:
    """The numbered paragraphs of (symbol, text) documents that can be evidence."""
    return [
        Passage(symbol, paragraph.number, paragraph.text, paragraph.heading)
        for symbol, text in documents
        for paragraph in parse(text)
        if paragraph.section not in _NOT_EVIDENCE_SECTIONS
    ]


def find_evidence(
    iso3: str,
    cycle: int,
    *,
    paragraphs: Sequence[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    method: str = FUSED,
    encoder: semantic.Encoder | None = None,
    use_semantic: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[RecommendationEvidence]:
    """The evidence for the recommendations of ``iso3``'s ``cycle`` (or only those numbered
    ``paragraphs``), from the State's next-cycle documents, best first.

    ``use_semantic``: None uses the encoder when the extra is installed, False never. Raises
    :class:`EvidenceError` for an unknown State, a cycle without recommendations, an unknown
    paragraph, or no next-cycle documents.
    """
    started = time.monotonic()
    recommendations = selectors.recommendations_for(iso3, cycle, paragraphs)
    documents = selectors.next_cycle_documents(iso3, cycle)
    themes = selectors.theme_names(recommendations)
    passages = passages_of(documents)
    wants_encoder = encoder is None and method in (SEMANTIC, FUSED) and use_semantic is not False
    if wants_encoder and (use_semantic or semantic_available()):
        encoder = semantic.get_encoder()
    if progress:
        progress(
            ngettext(
                "%(recommendations)s recommendation; %(paragraphs)s paragraphs in %(documents)s",
                "%(recommendations)s recommendations; %(paragraphs)s paragraphs in %(documents)s",
                len(recommendations),
            )
            % {
                "recommendations": len(recommendations),
                "paragraphs": len(passages),
                "documents": ", ".join(symbol for symbol, _text in documents),
            }
        )
    if method == SEMANTIC and encoder is None:
        raise EvidenceError(
            _("The semantic ranking needs the semantic extra; install it with: %(hint)s")
            % {"hint": semantic.INSTALL_HINT}
        )
    cache = sentence_cache(encoder.model_id) if encoder is not None else None
    finder = EvidenceFinder(passages, method=method, encoder=encoder, cache=cache)
    queries = [Query(r.text, themes.get(r.id, ()), r.text_key) for r in recommendations]
    ranked = finder.rank(queries, limit=limit)
    if progress:
        progress(
            _("Ranked (%(method)s) in %(seconds).1f s")
            % {"method": finder.used, "seconds": time.monotonic() - started}
        )
    return [
        RecommendationEvidence(r.paragraph, r.id, tuple(items), finder.used)
        for r, items in zip(recommendations, ranked, strict=True)
    ]
