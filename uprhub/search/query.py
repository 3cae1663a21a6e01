"""Turn whatever a user typed into a safe, engine-neutral list of terms.

No user text ever reaches a query language as syntax: we keep only runs of Unicode letters and
digits (so quotes, ``*``, ``-``, ``NEAR(``, parentheses, emoji, NUL bytes and SQL fragments are
separators), honour balanced ``"double quotes"`` as phrases, and then *generate* the FTS5 MATCH
string (every token double-quoted) or a PostgreSQL tsquery expression (every token a bound
parameter). Both engines therefore receive the same terms.

English stop words (PostgreSQL's list) are dropped from single words on both engines, because
PostgreSQL's ``english`` configuration drops them and FTS5 does not: "the death penalty" must
find the same rows on both. A query made only of stop words finds nothing (as it would on
PostgreSQL) rather than everything.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from uprhub.core.text import STOP_WORDS

MAX_CHARS = 1000  # of user input considered; the rest is ignored
MAX_TERMS = 32  # words + phrases
MAX_PHRASE_WORDS = 12
MAX_WORD_CHARS = 64

_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')


@dataclass(frozen=True)
class ParsedQuery:
    """Sanitised terms. ``words`` exclude stop words; phrases keep inner ones (for adjacency)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    had_terms: bool = False  # something word-like was typed, even if only stop words
    any_of: bool = False  # OR the terms instead of AND (used by "similar")

    @property
    def is_browse(self) -> bool:
        """Nothing searchable was typed: list everything (facets and sorting only)."""
        return not self.had_terms

    @property
    def matches_nothing(self) -> bool:
        """Only stop words were typed: no row can match (on either engine)."""
        return self.had_terms and not (self.words or self.phrases)

    @property
    def key(self) -> str:
        """A canonical string for caching match results."""
        parts = list(self.words) + [" ".join(p) for p in self.phrases]
        return ("|" if self.any_of else "&").join(parts)

    def fts5_match(self) -> str:
        """An FTS5 MATCH expression: every term a double-quoted string, ANDed (or ORed).

        Tokens are letters and digits only, so they cannot contain a double quote.
        """
        terms = [f'"{w}"' for w in self.words] + [f'"{" ".join(p)}"' for p in self.phrases]
        return (" OR " if self.any_of else " AND ").join(terms)

    def pg_tsquery(self, config: str) -> tuple[str, list[str]]:
        """SQL for a tsquery plus its parameters: user text only ever travels as parameters.

        ``config`` is our own constant (not user input).
        """
        parts = [f"plainto_tsquery('{config}', %s)" for _ in self.words]
        parts += [f"phraseto_tsquery('{config}', %s)" for _ in self.phrases]
        params = list(self.words) + [" ".join(p) for p in self.phrases]
        return (" || " if self.any_of else " && ").join(parts), params


def _tokens(text: str) -> list[str]:
    return [t for t in _WORD.findall(text.lower()) if len(t) <= MAX_WORD_CHARS]


def parse(text: str | None, *, any_of: bool = False) -> ParsedQuery:
    """Parse free text. Never raises; anything unusual is treated as word separators."""
    if not text:
        return ParsedQuery(any_of=any_of)
    text = unicodedata.normalize("NFKC", str(text)[: MAX_CHARS * 2])[:MAX_CHARS]
    text = text.replace("\x00", " ")
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    had_terms = False

    def add_word(word: str) -> None:
        if word not in STOP_WORDS and word not in words:
            words.append(word)

    rest: list[str] = []
    position = 0
    for match in _PHRASE.finditer(text):  # balanced pairs only; a lone quote is a separator
        rest.append(text[position : match.start()])
        position = match.end()
        tokens = _tokens(match.group(1))[:MAX_PHRASE_WORDS]
        had_terms = had_terms or bool(tokens)
        # Leading/trailing stop words would be required by FTS5 but ignored by PostgreSQL.
        while tokens and tokens[0] in STOP_WORDS:
            tokens.pop(0)
        while tokens and tokens[-1] in STOP_WORDS:
            tokens.pop()
        if len(tokens) == 1:
            add_word(tokens[0])
        elif tokens and tuple(tokens) not in phrases:
            phrases.append(tuple(tokens))
    rest.append(text[position:])
    for word in _tokens(" ".join(rest)):
        had_terms = True
        add_word(word)
    # Cap the number of terms (phrases first: they were typed deliberately).
    phrases = phrases[:MAX_TERMS]
    words = words[: MAX_TERMS - len(phrases)]
    return ParsedQuery(tuple(words), tuple(phrases), had_terms, any_of)
