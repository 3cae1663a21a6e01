"""What to try when a search finds nothing: a spelling correction, fewer words, the same words
without the filters, or a theme filter. Every suggestion is checked to find something.

Runs only for a query with no result, so it may ask the engine a few more times (each through
the match cache); the corrected spellings come from the words of the recommendations themselves
(a sample, read once per data version), the themes' names and the advocates' term lists.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import threading
from collections import Counter
from collections.abc import Callable
from functools import cache

from django.utils.translation import gettext as _

from uprhub.recommendations.models import Recommendation

from . import facets as facet_index
from .query import STOP_WORDS, _tokens
from .synonyms import FOREIGN_FUNCTION_WORDS, expand_tokens, fold, known_words
from .types import SearchQuery, Suggestion

MAX_SUGGESTIONS = 3  # of each kind
SAMPLE_TEXTS = 5_000  # recommendations read to learn the spelling of words
MAX_WORDS_TRIED = 6  # words dropped one at a time for "fewer words"

Counter_ = Callable[[SearchQuery, facet_index.FacetIndex], int]

_lock = threading.Lock()
_words_by_version: dict[int, frozenset[str]] = {}


@cache
def _term_words() -> frozenset[str]:
    return frozenset(fold(w) for w in known_words())


def _corpus_words(index: facet_index.FacetIndex) -> frozenset[str]:
    """Words seen at least twice in a sample of recommendations, plus the themes' words."""
    with _lock:
        found = _words_by_version.get(index.version)
    if found is not None:
        return found
    counts: Counter[str] = Counter()
    for text in Recommendation.objects.order_by().values_list("text", flat=True)[:SAMPLE_TEXTS]:
        counts.update(_tokens(text))
    # Folding is the slow part: do it once per distinct word.
    words = {fold(w) for w, n in counts.items() if n >= 2 and len(w) > 2 and not w.isdigit()}
    for name in index.theme_names:
        words.update(fold(w) for w in _tokens(name) if len(w) > 2)
    found = frozenset(words | _term_words())
    with _lock:
        _words_by_version.clear()  # one version at a time is enough
        _words_by_version[index.version] = found
    return found


def _replace_word(text: str, word: str, new: str | None) -> str:
    pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", re.IGNORECASE)
    replaced = pattern.sub(new or "", text, count=1)
    return " ".join(replaced.split())


def _content_words(text: str) -> list[str]:
    seen: list[str] = []
    for word in _tokens(text):
        if word in STOP_WORDS or word in FOREIGN_FUNCTION_WORDS or word.isdigit():
            continue
        if word not in seen:
            seen.append(word)
    return seen


def suggestions(query: SearchQuery, index: facet_index.FacetIndex, count: Counter_) -> list:
    """Suggestions for a text query that found nothing, best first (each finds something)."""
    base = dataclasses.replace(query, page=1)
    found: list[Suggestion] = []
    words = _content_words(query.text)

    # 1. Spelling: each unknown word replaced by the closest known one, or left out when no
    # known word is close (a typo beside a stray word must not hide the correction).
    vocabulary = _corpus_words(index)
    corrected, respelt = query.text, False
    for word in words:
        folded = fold(word)
        if folded in vocabulary or word.isdigit():
            continue
        close = difflib.get_close_matches(folded, vocabulary, n=1, cutoff=0.75)
        corrected = _replace_word(corrected, word, close[0] if close else None)
        respelt = respelt or bool(close)
    if corrected and corrected != query.text:
        candidate = dataclasses.replace(base, text=corrected)
        if (n := count(candidate, index)) > 0:
            kind = "spelling" if respelt else "broader"  # only unknown words left out
            found.append(Suggestion(kind, corrected, candidate, n))

    # 2. Fewer words: drop one word at a time; the drops that find most.
    if len(words) > 1:
        shorter: list[Suggestion] = []
        for word in words[:MAX_WORDS_TRIED]:
            text = _replace_word(query.text, word, None)
            candidate = dataclasses.replace(base, text=text)
            if text and text != corrected and (n := count(candidate, index)) > 0:
                shorter.append(Suggestion("broader", text, candidate, n))
        shorter.sort(key=lambda s: -s.count)
        found += shorter[:MAX_SUGGESTIONS]

    # 3. The same words (or their correction) without the filters.
    if query.filters():
        for text in dict.fromkeys(t for t in (query.text, corrected) if t):
            candidate = SearchQuery(
                text=text, sort=base.sort, page_size=base.page_size, literal=base.literal
            )
            if (n := count(candidate, index)) > 0:
                found.append(Suggestion("filters", text, candidate, n))
                break

    # 4. Themes: those the words name (in any of the three languages), then those whose name
    # shares a word with the query (their labelled recommendations, within the filters).
    named = [t for c in expand_tokens(_tokens(corrected or query.text)).concepts for t in c.themes]
    found += _theme_suggestions(base, index, named, _content_words(corrected) + words, count)
    return found


def _theme_suggestions(
    base: SearchQuery,
    index: facet_index.FacetIndex,
    named: list[str],
    words: list[str],
    count: Counter_,
) -> list[Suggestion]:
    folded_named = {fold(n) for n in named}
    stems = {fold(w)[:5] for w in words if len(w) > 3}
    codes = [
        code
        for code, name in enumerate(index.theme_names)
        if fold(name) in folded_named or stems & {fold(w)[:5] for w in _tokens(name) if len(w) > 3}
    ]
    if not codes:
        return []
    totals = index.totals["theme"]
    codes.sort(
        key=lambda c: (
            fold(index.theme_names[c]) not in folded_named,
            -int(totals[c]) if c < len(totals) else 0,
        )
    )
    themes: list[Suggestion] = []
    seen: set[str] = set()
    for code in codes[: MAX_SUGGESTIONS * 3]:
        name = index.theme_names[code]
        if name in seen:  # the same name in two vocabularies
            continue
        theme_id = int(index.value_of("theme", code))
        candidate = dataclasses.replace(base, text="", theme=(*base.theme, theme_id))
        if (n := count(candidate, index)) > 0:
            themes.append(Suggestion("theme", name, candidate, n))
            seen.add(name)
        if len(themes) >= MAX_SUGGESTIONS:
            break
    return themes


def describe(suggestion: Suggestion) -> str:
    """One line saying what the suggestion is and what it finds (web, API and CLI)."""
    values = {"label": suggestion.label, "count": f"{suggestion.count:,}"}
    if suggestion.kind == "spelling":
        return _("Did you mean “%(label)s”? (%(count)s recommendations)") % values
    if suggestion.kind == "broader":
        return _("Fewer words: “%(label)s” (%(count)s recommendations)") % values
    if suggestion.kind == "filters":
        return _("“%(label)s” without the filters (%(count)s recommendations)") % values
    return _("Recommendations labelled with the theme “%(label)s” (%(count)s)") % values


def command_lines(suggestions: list[Suggestion]) -> list[str]:
    """The suggestions as `uprhub search` users read them: the line, then the command."""
    lines = []
    for suggestion in suggestions:
        if suggestion.kind == "theme":
            command = f'uprhub search --theme "{suggestion.label}"'
        else:
            command = f'uprhub search "{suggestion.query.text}"'
        lines.append(f"{describe(suggestion)}: {command}")
    return lines


def clear_cache() -> None:
    with _lock:
        _words_by_version.clear()
