"""The advocates' vocabulary: synonyms, and Spanish and French terms for English recommendations.

Recommendations are in English and use the UN's words ("death penalty", "indigenous peoples",
"sexual orientation and gender identity"); advocates type their own ("capital punishment",
"Native American", "LGBTQ") or their language's ("pena de muerte", "peuples autochtones").
``data/advocate_terms.json`` lists *concepts*: the English words recommendations use (``en``,
the first is the preferred one), the other ways to say it in English, Spanish and French
(``also``, ``es``, ``fr``), and the themes (UPR Info issues, OHCHR themes) it names.

A query's unquoted words are matched against every term, longest first, ignoring letter case,
accents, a plural ``s`` and small function words ("de", "du", "of the"…), so "derechos del
niño", "derechos de los niños" and "droits de l'enfant" all name the same concept. A matched
term becomes a *group* of alternatives: the concept's English terms plus what was typed, any
one of which may match. Quoted phrases are never expanded: quotes mean "exactly this".

Kept as data so that advocates (not only programmers) can review and extend it; the tests check
that every entry is well formed and that every bundled theme has Spanish and French terms.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from . import query as query_module
from .query import STOP_WORDS, _tokens

DATA_FILE = Path(__file__).resolve().parent / "data" / "advocate_terms.json"
ALL_WORDS = query_module.ALL_WORDS
LANGUAGES = ("en", "es", "fr")
MAX_KEY_TOKENS = 8  # longest term, in content words

# Spanish and French function words: ignored when matching terms, and dropped from a query in
# which a Spanish or French term was recognised (they would otherwise be required words that no
# English recommendation contains). "un" is not here: in English it is the UN.
_FOREIGN_FUNCTION_WORDS_TEXT = """de del la las el los y e o en al para por con sin contra sobre
    una unos unas lo que se su sus le les l d des du et ou au aux pour par avec sans sur une qui sa
    son ses leur leurs dans à a"""
FOREIGN_FUNCTION_WORDS = frozenset(_FOREIGN_FUNCTION_WORDS_TEXT.split())
_FUNCTION_WORDS = STOP_WORDS | FOREIGN_FUNCTION_WORDS


@lru_cache(maxsize=8192)
def fold(word: str) -> str:
    """Lower case without accents: how terms are compared."""
    if word.isascii():  # most words: no accent to remove (and the vocabulary loads at start-up)
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _light_stem(word: str) -> str:
    # Enough to let "niños"/"niño" and "droits"/"droit" meet; the engines do real stemming.
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _content_key(tokens: list[str]) -> tuple[str, ...]:
    folded = (fold(t) for t in tokens)
    return tuple(_light_stem(f) for f in folded if f not in _FUNCTION_WORDS)


@dataclass(frozen=True)
class Concept:
    en: tuple[str, ...]  # English terms as recommendations write them; the first is preferred
    themes: tuple[str, ...]  # names of the themes this concept names (any vocabulary)
    alternatives: tuple[tuple[str, ...], ...]  # token tuples searched for

    @property
    def label(self) -> str:
        return self.en[0]


@dataclass(frozen=True)
class Vocabulary:
    concepts: tuple[Concept, ...]
    # content key -> (concept index, language of the term)
    keys: dict[tuple[str, ...], tuple[int, str]]
    longest: int


@dataclass(frozen=True)
class Expansion:
    groups: tuple[tuple[tuple[str, ...], ...], ...]
    themes: tuple[tuple[str, ...], ...]  # aligned with groups; () for a concept without themes
    rest: tuple[str, ...]  # tokens not part of any term, in order
    concepts: tuple[Concept, ...]  # the concepts recognised, aligned with groups


def _alternative(term: str) -> tuple[str, ...]:
    tokens = _tokens(term)
    # Leading/trailing stop words would be required by FTS5 but ignored by PostgreSQL.
    while tokens and tokens[0] in STOP_WORDS:
        tokens.pop(0)
    while tokens and tokens[-1] in STOP_WORDS:
        tokens.pop()
    return tuple(tokens)


def _searched_term(term: str, where: str) -> tuple[str, ...]:
    """An English term as searched; one starting or ending with a stop word is refused, since
    PostgreSQL would drop that word ("same-sex" would search for "sex")."""
    tokens = tuple(_tokens(term))
    if not tokens or tokens[0] in STOP_WORDS or tokens[-1] in STOP_WORDS:
        raise ValueError(f"{where}: {term!r} starts or ends with a stop word")
    return tokens


def load_vocabulary(path: Path = DATA_FILE) -> Vocabulary:
    """Read and index the term list (raises ValueError on a malformed entry)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    concepts: list[Concept] = []
    keys: dict[tuple[str, ...], tuple[int, str]] = {}
    for number, entry in enumerate(raw["concepts"]):
        en = tuple(entry.get("en", ()))
        if not en:
            raise ValueError(f"concept {number}: no English term")
        unknown = set(entry) - {"en", "also", "es", "fr", "themes", "note"}
        if unknown:
            raise ValueError(f"concept {number} ({en[0]}): unknown fields {sorted(unknown)}")
        alternatives: list[tuple[str, ...]] = []
        for term in en:
            alternative = _searched_term(term, f"concept {number}")
            if alternative not in alternatives:
                alternatives.append(alternative)
        concept = Concept(en, tuple(entry.get("themes", ())), _without_redundant(alternatives))
        concepts.append(concept)
        for language, terms in (
            ("en", en),
            ("en", entry.get("also", ())),
            ("es", entry.get("es", ())),
            ("fr", entry.get("fr", ())),
        ):
            for term in terms:
                key = _content_key(_tokens(term))
                if not key or len(key) > MAX_KEY_TOKENS:
                    raise ValueError(f"concept {number} ({en[0]}): unusable term {term!r}")
                # The first concept listing a term keeps it (the file lists specific first).
                keys.setdefault(key, (len(concepts) - 1, language))
    longest = max((len(k) for k in keys), default=0)
    return Vocabulary(tuple(concepts), keys, longest)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _without_redundant(alternatives: list[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Drop alternatives that another one already finds ("indigenous peoples" when
    "indigenous" is searched; "death sentences" beside "death sentence"): each costs time."""
    stems = [tuple(_light_stem(t) for t in a) for a in alternatives]
    kept: list[tuple[str, ...]] = []
    for i, alternative in enumerate(alternatives):
        if any(
            j != i and _contains(stems[i], stems[j]) and (stems[i] != stems[j] or j < i)
            for j in range(len(alternatives))
        ):
            continue
        kept.append(alternative)
    return tuple(kept)


@cache
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def expand_tokens(tokens: list[str]) -> Expansion:
    """Recognise terms in a query's tokens (lower case, as ``query._tokens`` makes them)."""
    vocab = vocabulary()
    content = [
        (i, _light_stem(fold(t))) for i, t in enumerate(tokens) if fold(t) not in _FUNCTION_WORDS
    ]
    used: set[int] = set()
    found: list[tuple[Concept, tuple[str, ...], bool]] = []  # (concept, typed, in English)
    foreign = False
    position = 0
    while position < len(content):
        for length in range(min(vocab.longest, len(content) - position), 0, -1):
            window = content[position : position + length]
            match = vocab.keys.get(tuple(stem for _i, stem in window))
            if match is None:
                continue
            first, last = window[0][0], window[-1][0]
            used.update(range(first, last + 1))
            concept = vocab.concepts[match[0]]
            typed = tuple(t for t in tokens[first : last + 1])
            found.append((concept, typed, match[1] == "en"))
            foreign = foreign or match[1] != "en"
            position += length
            break
        else:
            position += 1
    groups: list[tuple[tuple[str, ...], ...]] = []
    themes: list[tuple[str, ...]] = []
    concepts: list[Concept] = []
    for concept, typed, english in found:
        # What was typed stays an alternative, as unquoted words always are: all of them,
        # anywhere in the text (so an expanded query finds at least what the words alone did).
        words = tuple(
            dict.fromkeys(
                t
                for t in typed
                if t not in STOP_WORDS and (english or fold(t) not in FOREIGN_FUNCTION_WORDS)
            )
        )
        typed_alternative = words if len(words) == 1 else (ALL_WORDS, *words)
        alternatives = [a for a in concept.alternatives if a != words]
        if words:
            alternatives.append(typed_alternative)
        group = tuple(alternatives)
        if group in groups:
            continue
        groups.append(group)
        themes.append(concept.themes)
        concepts.append(concept)
    rest = [
        t
        for i, t in enumerate(tokens)
        if i not in used and not (foreign and fold(t) in FOREIGN_FUNCTION_WORDS)
    ]
    return Expansion(tuple(groups), tuple(themes), tuple(rest), tuple(concepts))


_SPLIT = re.compile(r"[^\W_]+")


def known_words() -> set[str]:
    """Every word of every term (for spelling suggestions)."""
    words: set[str] = set()
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for entry in raw["concepts"]:
        for language in ("en", "also", "es", "fr"):
            for term in entry.get(language, ()):
                words.update(w for w in _SPLIT.findall(term.casefold()) if len(w) > 2)
    return words
