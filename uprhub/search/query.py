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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from uprhub.core.text import STOP_WORDS

MAX_CHARS = 1000  # of user input considered; the rest is ignored
MAX_TERMS = 32  # words + phrases
MAX_PHRASE_WORDS = 12
MAX_WORD_CHARS = 64
# First member of an expanded alternative meaning "all these words, anywhere" (not a phrase).
ALL_WORDS = ""

_WORD = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r'"([^"]*)"')


class Expansion(Protocol):
    """What an expander returns (``synonyms.Expansion``)."""

    @property
    def groups(self) -> tuple[tuple[tuple[str, ...], ...], ...]: ...
    @property
    def themes(self) -> tuple[tuple[str, ...], ...]: ...
    @property
    def rest(self) -> tuple[str, ...]: ...


Expander = Callable[[list[str]], Expansion]


@dataclass(frozen=True)
class ParsedQuery:
    """Sanitised terms. ``words`` exclude stop words; phrases keep inner ones (for adjacency)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    had_terms: bool = False  # something word-like was typed, even if only stop words
    any_of: bool = False  # OR the terms instead of AND (used by "similar")
    # Expanded terms: each group is a tuple of alternatives (token tuples), any one matching.
    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # Set when the whole query names themes: per group, the theme names it stands for (the
    # service adds the recommendations labelled with them).
    themes: tuple[tuple[str, ...], ...] = ()

    @property
    def is_browse(self) -> bool:
        """Nothing searchable was typed: list everything (facets and sorting only)."""
        return not self.had_terms

    @property
    def matches_nothing(self) -> bool:
        """Only stop words were typed: no row can match (on either engine)."""
        return self.had_terms and not (self.words or self.phrases or self.groups)

    @property
    def key(self) -> str:
        """A canonical string for caching match results."""
        parts = list(self.words) + [" ".join(p) for p in self.phrases]
        parts += ["(" + "/".join("+".join(a) for a in g) + ")" for g in self.groups]
        return ("|" if self.any_of else "&").join(parts)

    @property
    def terms(self) -> tuple[str, ...]:
        """Every word and phrase the engines look for (for highlighting and suggestions)."""
        alternatives = [" ".join(a).strip() for g in self.groups for a in g]
        return (*self.words, *(" ".join(p) for p in self.phrases), *alternatives)

    def fts5_match(self) -> str:
        """An FTS5 MATCH expression: every term a double-quoted string, ANDed (or ORed).

        Tokens are letters and digits only, so they cannot contain a double quote.
        """
        terms = [f'"{w}"' for w in self.words] + [f'"{" ".join(p)}"' for p in self.phrases]
        for group in self.groups:
            alternatives = " OR ".join(_fts5_alternative(a) for a in group)
            terms.append(f"({alternatives})" if len(group) > 1 else alternatives)
        return (" OR " if self.any_of else " AND ").join(terms)

    def pg_tsquery(self, config: str) -> tuple[str, list[str]]:
        """SQL for a tsquery plus its parameters: user text only ever travels as parameters.

        ``config`` is our own constant (not user input).
        """
        parts = [f"plainto_tsquery('{config}', %s)" for _ in self.words]
        parts += [f"phraseto_tsquery('{config}', %s)" for _ in self.phrases]
        params = list(self.words) + [" ".join(p) for p in self.phrases]
        for group in self.groups:
            alternatives = [
                f"{'phraseto' if len(a) > 1 and a[0] != ALL_WORDS else 'plainto'}"
                f"_tsquery('{config}', %s)"
                for a in group
            ]
            parts.append("(" + " || ".join(alternatives) + ")")
            params += [" ".join(a).strip() for a in group]
        return (" || " if self.any_of else " && ").join(parts), params


def _fts5_alternative(tokens: tuple[str, ...]) -> str:
    """An expanded term for FTS5. Inner stop words ("use of force") become a NEAR distance: as
    phrase members they would make FTS5 read the position lists of "of" and "the", which are in
    almost every row (PostgreSQL's phrase search skips them in the same way)."""
    if tokens[0] == ALL_WORDS:
        return "(" + " AND ".join(f'"{t}"' for t in tokens[1:]) + ")"
    content = [t for t in tokens if t not in STOP_WORDS]
    if len(content) == len(tokens) or len(content) < 2:
        return f'"{" ".join(tokens)}"'
    quoted = " ".join(f'"{t}"' for t in content)
    return f"NEAR({quoted}, {len(tokens) - len(content)})"


def _tokens(text: str) -> list[str]:
    return [t for t in _WORD.findall(text.lower()) if len(t) <= MAX_WORD_CHARS]


def parse(text: str | None, *, any_of: bool = False, expand: Expander | None = None) -> ParsedQuery:
    """Parse free text. Never raises; anything unusual is treated as word separators.

    ``expand``: what recognises terms among the unquoted words (``synonyms.expand_tokens``,
    passed in by the service so that this module does not depend on the term lists).
    """
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
    tokens = _tokens(" ".join(rest))
    had_terms = had_terms or bool(tokens)
    groups: list[tuple[tuple[str, ...], ...]] = []
    themes: tuple[tuple[str, ...], ...] = ()
    if expand is not None and tokens:
        expansion = expand(tokens)
        groups, tokens = list(expansion.groups), list(expansion.rest)
        if not tokens and not phrases and all(expansion.themes):
            themes = expansion.themes
    for word in tokens:
        add_word(word)
    # Cap the number of terms (phrases first: they were typed deliberately).
    phrases = phrases[:MAX_TERMS]
    groups = groups[: MAX_TERMS - len(phrases)]
    words = words[: MAX_TERMS - len(phrases) - len(groups)]
    if len(themes) != len(groups):
        themes = ()
    return ParsedQuery(tuple(words), tuple(phrases), had_terms, any_of, tuple(groups), themes)
