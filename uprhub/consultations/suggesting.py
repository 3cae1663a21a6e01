"""Machine suggestions for testimony: UPR Info issues, and the State's past recommendations on
the same problem.

How a testimony is read
    The issue classifier (``uprhub.classifier``) and the search engine were made for English
    recommendation texts ("Take measures to end police brutality …"); people write "the cops beat
    my son" or "la policía golpeó a mi hijo". ``data/testimony_terms.json`` lists the everyday
    words of testimony in English, Spanish and French (accents, letter case and a plural folded)
    with the English words recommendations use for them. :func:`english_keywords` turns a
    testimony in any of the three languages into those words; the classifier reads the English
    testimony plus its keywords (Spanish and French: the keywords alone, since the model knows
    no Spanish or French word), and search looks for the keywords.

Issues
    The classifier's calibrated score for every UPR Info issue, best first, leaving out the
    issues about the UN's machinery (treaties, special procedures, the UPR itself) that no
    testimony is about.

Recommendations
    The State under review's recommendations of earlier reviews and of the consultation's own
    review, ranked by the search engine's relevance for the keywords (OR-ed, so a testimony need
    not use every word), plus a bonus for recommendations labelled (or machine-labelled) with one
    of the testimony's suggested issues. Where the site turned on semantic similarity
    (``UPRHUB_SIMILARITY=semantic`` with the extra installed), the cosine of MiniLM sentence
    embeddings replaces the engine's relevance: a little better on the labelled sample, and the
    same on SQLite and PostgreSQL. ``bench/consultation_suggestions.py`` measures each way.

Nothing here is run while a testimony is given: the public form stays fast. Suggestions are
made when a moderator first opens a testimony, or by ``uprhub consultations suggest SLUG``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import connections, transaction

from uprhub.recommendations.models import Label, Recommendation, Suggestion, SuggestionStatus, Theme

from .models import TagKind, Testimony, TestimonyTag

if TYPE_CHECKING:
    from uprhub.classifier.model import Model

DATA_FILE = Path(__file__).resolve().parent / "data" / "testimony_terms.json"
LANGUAGES = ("en", "es", "fr")
ISSUES_VOCABULARY = "uprinfo-issues"
THEMES_KEPT = 3  # issue suggestions stored per testimony
RECOMMENDATIONS_KEPT = 5  # recommendation suggestions stored per testimony
THEME_BONUS = 0.5  # added to a recommendation's (0–1) search score per shared issue
MAX_KEYWORD_REPEATS = 3  # a concept named many times weighs more, up to this
VERSION = "terms-1"
LEXICAL, SEMANTIC, HYBRID = (
    "lexical",
    "semantic",
    "hybrid",
)  # of the glossary and ranking below; stored with the model's version

# About the UN's machinery, not about what people live through: never suggested for testimony.
MACHINERY_ISSUES = frozenset(
    {
        "International instruments",
        "Treaty bodies",
        "Special procedures",
        "UPR process",
        "Technical assistance and cooperation",
        "NHRI",
        "National plan of action",
        "General",
        "Other",
    }
)

_APOSTROPHES = re.compile(r"['’`´-]")
_TOKEN = re.compile(r"[^\W_]+")


# --- the glossary --------------------------------------------------------------------------------


def fold(word: str) -> str:
    """Lower case, no accents: "Policía" and "policia" are one word."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _norm(token: str) -> str:
    # A plural s (or French x) dropped on both sides: "cárceles"/"carcele" still needs its own
    # entry, but most plurals meet their singular this way.
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    if len(token) > 4 and token.endswith("x"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """Folded, plural-stripped words; elisions split ("l'eau" → "l", "eau")."""
    return [_norm(t) for t in _TOKEN.findall(_APOSTROPHES.sub(" ", fold(text or "")))]


@dataclass(frozen=True)
class Glossary:
    keywords: tuple[str, ...]  # per concept: the English words it adds
    index: dict[str, dict[tuple[str, ...], int]]  # language → term tokens → concept
    longest: int

    def concepts(self, text: str, language: str) -> list[int]:
        """The concepts named in ``text``, in order, once per mention (longest term first)."""
        table = self.index.get(language) or self.index["en"]
        words = tokens(text)
        found: list[int] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                concept = table.get(tuple(words[i : i + size]))
                if concept is not None:
                    found.append(concept)
                    i += size
                    break
            else:
                i += 1
        return found


@cache
def glossary(path: Path = DATA_FILE) -> Glossary:
    data = json.loads(path.read_text(encoding="utf-8"))
    keywords: list[str] = []
    index: dict[str, dict[tuple[str, ...], int]] = {lang: {} for lang in LANGUAGES}
    longest = 1
    for number, concept in enumerate(data["concepts"]):
        keywords.append(concept["keywords"])
        for language in LANGUAGES:
            for term in concept.get(language, []):
                key = tuple(tokens(term))
                if key:
                    index[language].setdefault(key, number)
                    longest = max(longest, len(key))
    return Glossary(tuple(keywords), index, longest)


def english_keywords(text: str, language: str) -> str:
    """The English words recommendations use for what ``text`` speaks of ("" if none)."""
    words = glossary()
    counts = Counter(words.concepts(text, language if language in LANGUAGES else "en"))
    parts: list[str] = []
    for concept, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        parts += [words.keywords[concept]] * min(count, MAX_KEYWORD_REPEATS)
    return " ".join(parts)


def classifier_text(text: str, language: str, *, use_terms: bool = True) -> str:
    """What the English-only classifier reads: an English testimony with its keywords; the
    keywords alone for other languages (their words are unknown to it, and only add noise).
    ``use_terms=False``: the text as written (what the benchmark compares with)."""
    if not use_terms:
        return text
    keywords = english_keywords(text, language)
    if language == "en" or language not in LANGUAGES:
        return f"{text}\n{keywords}".strip()
    return keywords


# --- issues ------------------------------------------------------------------------------------


def _model() -> Model:
    from uprhub.classifier.services import get_model

    return get_model()


def rank_issues(
    texts: Sequence[str],
    languages: Sequence[str],
    *,
    model: Model | None = None,
    use_terms: bool = True,
) -> list[list[tuple[str, float]]]:
    """Every UPR Info issue but the machinery ones, with its calibrated score, best first."""
    model = model or _model()
    inputs = [
        classifier_text(t, lang, use_terms=use_terms)
        for t, lang in zip(texts, languages, strict=True)
    ]
    x = model.featurizer.issue_matrix(inputs)
    scores = model.issue_probabilities(model.issue_margins(x))
    kept = [j for j, label in enumerate(model.issue_labels) if label not in MACHINERY_ISSUES]
    ranked: list[list[tuple[str, float]]] = []
    for row, given in enumerate(inputs):
        if not given.strip():
            ranked.append([])  # nothing the model could read: no guess
            continue
        order = sorted(kept, key=lambda j: -scores[row, j])
        ranked.append([(model.issue_labels[j], round(float(scores[row, j]), 4)) for j in order])
    return ranked


# --- recommendations ---------------------------------------------------------------------------


# Embeddings of recommendations the similarity store lacks, by text_key (the State's own
# recommendations only: a few thousand at most).
_computed: dict[str, np.ndarray] = {}


def link_method() -> str:
    """Semantic when the site chose it for similar recommendations and the extra is installed
    (measured slightly better, and equal on both databases); else the search engine."""
    from uprhub.search import semantic

    return SEMANTIC if semantic.enabled() else LEXICAL


@dataclass
class Candidates:
    """The State's recommendations a testimony may be linked to, and their issues."""

    ids: np.ndarray  # sorted
    themes: dict[int, set[str]] = field(default_factory=dict)  # id → UPR Info issue names
    texts: list[str] = field(default_factory=list)  # aligned with ids
    keys: list[str] = field(default_factory=list)  # text_key, aligned with ids
    _vectors: np.ndarray | None = None

    def _stored(self) -> tuple[np.ndarray, list[int]]:
        """Vectors from the similarity store (``uprhub similarity embed``) or computed earlier
        in this process, and the positions of the candidates that have none yet."""
        from uprhub.search import semantic

        found = np.zeros((len(self.ids), semantic.MODEL.dimension), dtype=np.float32)
        try:
            store = semantic.get_store()
            rows = store.rows_of(np.array(self.keys, dtype=semantic.KEY_DTYPE)).tolist()
        except (OSError, ValueError):
            store, rows = None, [-1] * len(self.ids)
        missing = []
        for i, row in enumerate(rows):
            if store is not None and row >= 0:
                found[i] = store.vectors[row]
            elif self.keys[i] in _computed:
                found[i] = _computed[self.keys[i]]
            else:
                missing.append(i)
        return found, missing

    def has_vectors(self) -> bool:
        """True when every candidate's embedding is at hand (nothing to compute)."""
        return self._vectors is not None or not self._stored()[1]

    def vectors(self, encoder: Any) -> np.ndarray:
        """Unit sentence embeddings of the candidates, the missing ones computed (slow: about
        20 ms a text; the command line does it, a page never waits for it)."""
        if self._vectors is None:
            found, missing = self._stored()
            if missing:
                made = encoder.encode([self.texts[i] for i in missing])
                for i, vector in zip(missing, made, strict=True):
                    found[i] = _computed[self.keys[i]] = vector
            self._vectors = found
        return self._vectors

    @classmethod
    def for_testimony(cls, testimony: Testimony) -> Candidates:
        return cls.for_review(testimony.consultation.review)

    @classmethod
    def for_review(cls, review) -> Candidates:
        # Earlier reviews of the State, and the consultation's own review (its recommendations
        # exist once the Working Group reported).
        queryset = Recommendation.objects.filter(
            review__state_id=review.state_id,
            review__session__cycle_id__lte=review.session.cycle_id,
        )
        rows = sorted(queryset.values_list("pk", "text", "text_key"))
        ids = np.array([pk for pk, _text, _key in rows], dtype=np.int64)
        themes: dict[int, set[str]] = {}
        labelled = Label.objects.filter(
            recommendation__in=queryset, theme__vocabulary__slug=ISSUES_VOCABULARY
        ).values_list("recommendation_id", "theme__name")
        suggested = Suggestion.objects.filter(
            recommendation__in=queryset,
            theme__vocabulary__slug=ISSUES_VOCABULARY,
            status__in=[SuggestionStatus.PENDING, SuggestionStatus.ACCEPTED],
        ).values_list("recommendation_id", "theme__name")
        for pk, name in [*labelled, *suggested]:
            themes.setdefault(pk, set()).add(name)
        # "Ratify the Optional Protocol …": about the UN's machinery, not a problem people
        # live with, so never a link for testimony (when its issues say so).
        machinery = {pk for pk, names in themes.items() if names <= MACHINERY_ISSUES}
        rows = [row for row in rows if row[0] not in machinery]
        ids = np.array([pk for pk, _text, _key in rows], dtype=np.int64)
        return cls(ids, themes, [r[1] for r in rows], [r[2] for r in rows])


def _search_scores(keywords: str, candidates: Candidates) -> dict[int, float]:
    """The search engine's relevance of each candidate for the keywords (0–1, best = 1)."""
    from uprhub.search.backends import get_backend
    from uprhub.search.query import ParsedQuery, parse

    words = tuple(dict.fromkeys(w for w in parse(keywords).words if len(w) > 2))
    if not words or not len(candidates.ids):
        return {}
    connection = connections["default"]
    ids, scores = get_backend(connection).match(
        connection, ParsedQuery(words=words, had_terms=True, any_of=True)
    )
    keep = np.isin(ids, candidates.ids)
    ids, scores = ids[keep], scores[keep]
    if not len(ids):
        return {}
    top = float(scores.max()) or 1.0
    return {int(pk): float(s) / top for pk, s in zip(ids, scores, strict=True)}


def _semantic_scores(query: str, candidates: Candidates, encoder: Any) -> dict[int, float]:
    """Cosine of the query's and each candidate's sentence embedding (MiniLM), scaled so the
    best is 1."""
    if not query.strip() or not len(candidates.ids):
        return {}
    cosines = candidates.vectors(encoder) @ np.asarray(encoder.encode([query])[0], np.float32)
    top = float(cosines.max())
    if top <= 0:
        return {}
    return {
        int(pk): max(float(c), 0.0) / top for pk, c in zip(candidates.ids, cosines, strict=True)
    }


def rank_recommendations(
    text: str,
    language: str,
    candidates: Candidates,
    issues: Iterable[str] = (),
    limit: int = RECOMMENDATIONS_KEPT,
    *,
    use_terms: bool = True,
    method: str = LEXICAL,
    encoder: Any = None,
) -> list[tuple[int, float]]:
    """Ids and scores of the candidates best matching the testimony, best first.

    ``method``: ``lexical`` (the search engine; the default, see the module docstring),
    ``semantic`` (MiniLM embeddings, with ``encoder``) or ``hybrid`` (their sum, halved)."""
    if use_terms:
        keywords = english_keywords(text, language)
        query = f"{text} {keywords}" if language == "en" else keywords
    else:
        query = text
    if method == LEXICAL:
        scores = _search_scores(query, candidates)
    else:
        scores = _semantic_scores(query, candidates, encoder)
        if method == HYBRID:
            lexical = _search_scores(query, candidates)
            scores = {pk: (s + lexical.get(pk, 0.0)) / 2 for pk, s in scores.items()}
    wanted = set(issues)
    if wanted:
        for pk, names in candidates.themes.items():
            shared = len(names & wanted)
            if shared and pk in scores:  # a bonus to what search found, never alone
                scores[pk] += THEME_BONUS * shared
    best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(pk, round(score, 4)) for pk, score in best]


# --- storing -----------------------------------------------------------------------------------


@dataclass
class TagResult:
    testimonies: int = 0
    themes_added: int = 0
    recommendations_added: int = 0


def model_version(model: Model | None = None, method: str = LEXICAL) -> str:
    """Stored with each suggestion: the classifier's version, the glossary's, the ranking's."""
    model = model or _model()
    return f"{model.version}+{VERSION}+{method}"[:60]


PARTICIPANT = "participant"  # model_version of an issue the person ticked on the form


def _issue_themes(names: Iterable[str]) -> dict[str, int]:
    return {
        theme.name: theme.pk
        for theme in Theme.objects.filter(vocabulary__slug=ISSUES_VOCABULARY, name__in=list(names))
    }


def suggest(
    testimonies: Iterable[Testimony],
    *,
    model: Model | None = None,
    progress: Callable[[int, int], None] | None = None,
    compute_vectors: bool = True,
) -> TagResult:
    """Make pending tags for these testimonies (best issues, best recommendations).

    A value that has a tag of that testimony already, pending, accepted or rejected, is not
    suggested again: a moderator's "no" stands. Texts already withdrawn or empty get none.
    ``compute_vectors=False`` (a page): where semantic ranking would first have to embed the
    State's recommendations, the search engine ranks instead.
    """
    model = model or _model()
    method = link_method()
    encoder = None
    if method != LEXICAL:
        from uprhub.search import semantic

        encoder = semantic.get_encoder()
    version = model_version(model, method)
    items = [t for t in testimonies if t.text.strip() and not t.is_withdrawn]
    result = TagResult()
    candidates_by_review: dict[int, Candidates] = {}
    for number, testimony in enumerate(items, start=1):
        review = testimony.consultation.review
        if review.pk not in candidates_by_review:
            candidates_by_review[review.pk] = Candidates.for_review(review)
        candidates = candidates_by_review[review.pk]
        use = method
        if method != LEXICAL and not compute_vectors and not candidates.has_vectors():
            use = LEXICAL
        issues = rank_issues([testimony.text], [testimony.language], model=model)[0]
        top_issues = issues[:THEMES_KEPT]
        # What the person ticked on the form: their own reading, suggested like the model's.
        picked = [name for name in testimony.answers.get("themes", []) if isinstance(name, str)]
        links = rank_recommendations(
            testimony.text,
            testimony.language,
            candidates,
            list(dict.fromkeys([name for name, _s in top_issues] + picked)),
            method=use,
            encoder=encoder,
        )
        themes = _issue_themes([*(name for name, _score in top_issues), *picked])
        with transaction.atomic():
            taken = TestimonyTag.objects.filter(testimony=testimony)
            have_themes = set(taken.exclude(theme=None).values_list("theme_id", flat=True))
            have_recs = set(
                taken.exclude(recommendation=None).values_list("recommendation_id", flat=True)
            )
            new = [
                TestimonyTag(
                    testimony=testimony,
                    kind=TagKind.THEME,
                    theme_id=themes[name],
                    score=score,
                    model_version=version,
                )
                for name, score in top_issues
                if name in themes and themes[name] not in have_themes
            ]
            suggested = have_themes | {tag.theme_id for tag in new}
            new += [
                TestimonyTag(
                    testimony=testimony,
                    kind=TagKind.THEME,
                    theme_id=themes[name],
                    model_version=PARTICIPANT,
                )
                for name in dict.fromkeys(picked)
                if name in themes and themes[name] not in suggested
            ]
            result.themes_added += len(new)
            recs = [
                TestimonyTag(
                    testimony=testimony,
                    kind=TagKind.RECOMMENDATION,
                    recommendation_id=pk,
                    score=score,
                    model_version=version if use == method else model_version(model, use),
                )
                for pk, score in links
                if pk not in have_recs
            ]
            result.recommendations_added += len(recs)
            TestimonyTag.objects.bulk_create([*new, *recs])
        result.testimonies += 1
        if progress is not None:
            progress(number, len(items))
    return result


def needs_suggestions(testimony: Testimony) -> bool:
    """True when the testimony has never had a tag of any kind (made, decided or added)."""
    return not TestimonyTag.objects.filter(testimony=testimony).exists()


def untagged(testimonies: Iterable[Testimony]) -> list[Testimony]:
    ids = [t.pk for t in testimonies]
    tagged = set(
        TestimonyTag.objects.filter(testimony_id__in=ids).values_list("testimony_id", flat=True)
    )
    return [t for t in testimonies if t.pk not in tagged]
