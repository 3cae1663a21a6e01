"""The search service: what views, the API, exports and the CLI call.

How a search runs (text mode; browse mode skips step 2):

1. one primary-key read of the data version, to fetch or reload the in-memory facet index;
2. one full-text query returning *every* matching id with its score (cached per data version and
   query text, so paging or changing facets does not ask the engine again);
3. filtering, disjunctive facet counts, sorting and paging in numpy (``facets.py``);
4. the page's rows through ``Recommendation.objects.with_details()``, with the highlighted
   snippet computed by the engine in the same query.

Which database runs is decided in ``backends``; nothing here or above knows.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from uprhub.recommendations.models import ActionCategory, Position, Recommendation, Theme
from uprhub.recommendations.theme_names import theme_name, vocabulary_name
from uprhub.reviews.countries import state_name
from uprhub.reviews.models import RegionalGroup

from . import facets as facet_index
from . import highlight, semantic, suggest
from .backends import get_backend
from .query import ALL_WORDS, ParsedQuery, parse
from .request import MAX_PAGE, MAX_TEXT, parse_search_request
from .synonyms import expand_tokens, fold
from .types import FACETS, SORTS, Facet, FacetValue, Hit, SearchQuery, SearchResult

MAX_FACET_VALUES = 50  # per facet (per vocabulary for themes), plus any selected values
MAX_ROWS = 1000  # hits one call loads (the CLI's CSV asks for --limit × --page rows)
BROWSE_RELEVANCE = "-date"  # "best match" without words: newest reviews first

_ORDINAL_FACETS = ("cycle", "session", "position", "action_category")


def _facet_labels() -> dict[str, str]:
    return {
        "state": _("State under review"),
        "recommending_state": _("Recommending State"),
        "region": _("Regional group of the State under review"),
        "recommending_region": _("Regional group of the recommending State"),
        "cycle": _("Cycle"),
        "session": _("Session"),
        "position": _("Position"),
        "action_category": _("Action category"),
        "theme": _("Theme"),
    }


# --- cached full-text matches ------------------------------------------------------------------


@dataclass(frozen=True)
class _Match:
    rows: np.ndarray  # sorted row positions in the facet index
    scores: np.ndarray | None  # aligned with rows, higher is better; None if not ranked


class _MatchCache:
    """Small LRU of full-text matches, keyed by database, data version and query.

    A broad word can match half the rows; asking the engine once and re-using the result while
    the user pages or narrows facets is what keeps those requests cheap.
    """

    def __init__(self, max_entries: int = 64, max_rows: int = 4_000_000) -> None:
        self.max_entries, self.max_rows = max_entries, max_rows
        self._items: OrderedDict[tuple, _Match] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> _Match | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: _Match) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries or (
                len(self._items) > 1
                and sum(len(m.rows) for m in self._items.values()) > self.max_rows
            ):
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_matches = _MatchCache()


def clear_caches() -> None:
    """Forget the facet index and cached matches (tests; after restoring a database)."""
    facet_index.clear_cache()
    suggest.clear_cache()
    _folded_names.clear()
    _matches.clear()


def _connection() -> BaseDatabaseWrapper:
    return connections["default"]


def _text_match(
    connection: BaseDatabaseWrapper,
    index: facet_index.FacetIndex,
    parsed: ParsedQuery,
    ranked: bool,
) -> _Match:
    """Rows matching the text; with scores only if ``ranked`` (scoring is the expensive part)."""
    if parsed.matches_nothing:
        return _Match(np.zeros(0, dtype=np.int64), np.zeros(0))
    key = (connection.alias, index.version, parsed.key)
    found = _matches.get(key)
    if found is not None and (found.scores is not None or not ranked):
        return found
    backend = get_backend(connection)
    if ranked:
        ids, scores = backend.match(connection, parsed)
    else:
        ids, scores = backend.match_ids(connection, parsed), None
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        order = np.argsort(ids, kind="stable")
        ids = ids[order]
        scores = scores[order] if scores is not None else None
    rows, known = index.positions_of(ids)  # ids newer than the index are dropped
    found = _Match(rows, scores[known] if scores is not None else None)
    _matches.put(key, found)
    return found


# --- searching ---------------------------------------------------------------------------------


@dataclass
class _Plan:
    index: facet_index.FacetIndex
    parsed: ParsedQuery
    rows: np.ndarray  # filtered row positions (any order)
    scores: np.ndarray | None  # aligned with rows when sorting a text search by relevance
    counts: dict[str, np.ndarray]


def _wants_scores(query: SearchQuery) -> bool:
    return query.sort not in ("date", "-date", "paragraph")  # relevance, or an unknown sort


_folded_names: dict[tuple[int, int], dict[str, list[int]]] = {}


def _themes_by_folded_name(index: facet_index.FacetIndex) -> dict[str, list[int]]:
    """Theme codes by name without case or accents (once per data version)."""
    key = (index.version, len(index.theme_names))
    found = _folded_names.get(key)
    if found is None:
        found = {}
        for code, name in enumerate(index.theme_names):
            found.setdefault(fold(" ".join(name.split())), []).append(code)
        _folded_names.clear()
        _folded_names[key] = found
    return found


def _theme_codes(index: facet_index.FacetIndex, names: tuple[str, ...]) -> np.ndarray:
    by_name = _themes_by_folded_name(index)
    codes = sorted({code for name in names for code in by_name.get(fold(name), ())})
    return np.array(codes, dtype=np.int64)


def named_themes(index: facet_index.FacetIndex, parsed: ParsedQuery, text: str) -> list:
    """Theme codes per term when the whole query names themes (else []).

    Either every term is a concept of ``synonyms.py`` that names themes, or the text is a
    theme's name in some vocabulary ("Sexual Orientation and Gender Identity", an SDG...).
    """
    groups = [_theme_codes(index, names) for names in parsed.themes]
    if groups and all(len(g) for g in groups):
        return groups
    if not parsed.phrases:
        exact = _themes_by_folded_name(index).get(fold(" ".join(text.split())))
        if exact:
            return [np.array(exact, dtype=np.int64)]
    return []


def _with_themes(
    index: facet_index.FacetIndex, match: _Match, themes: list, ranked: bool
) -> _Match:
    """Add the recommendations labelled with the named themes (ranked after the text matches)."""
    labelled: np.ndarray | None = None
    for codes in themes:
        selected = np.zeros(max(index.cardinality("theme"), int(codes.max()) + 1), dtype=bool)
        selected[codes] = True
        mask = index.multi["theme"].rows_with_any(selected, index.size)
        labelled = mask if labelled is None else labelled & mask
    if labelled is None:
        return match
    labelled[match.rows] = False
    extra = np.flatnonzero(labelled)
    if not len(extra):
        return match
    rows = np.concatenate([match.rows, extra])
    order = np.argsort(rows, kind="stable")
    scores = None
    if ranked and match.scores is not None:
        scores = np.concatenate([match.scores, np.zeros(len(extra))])[order]
    return _Match(rows[order], scores)


def _understood_match(
    connection: BaseDatabaseWrapper,
    index: facet_index.FacetIndex,
    parsed: ParsedQuery,
    query: SearchQuery,
    ranked: bool,
) -> _Match:
    """The text's matches plus, when the words name themes, the rows labelled with them."""
    match = _text_match(connection, index, parsed, ranked=ranked)
    themes = [] if query.literal else named_themes(index, parsed, query.text)
    if not themes:
        return match
    # Cached apart from the text's match: with machine suggestions the theme rows differ.
    key = (connection.alias, index.version, parsed.key, "themes", query.suggestions)
    found = _matches.get(key)
    if found is None or (ranked and found.scores is None):
        found = _with_themes(index, match, themes, ranked)
        _matches.put(key, found)
    return found


def parse_query(query: SearchQuery) -> ParsedQuery:
    return parse(query.text, expand=None if query.literal else expand_tokens)


def _plan(query: SearchQuery, connection: BaseDatabaseWrapper) -> _Plan:
    index = facet_index.get_index(connection)
    if query.suggestions:
        index = facet_index.with_suggestions(index, connection)
    parsed = parse_query(query)
    masks = index.filter_masks(query.filters())
    if parsed.is_browse:
        rows, counts = index.facet_counts(None, masks)
        return _Plan(index, parsed, rows, None, counts)
    ranked = _wants_scores(query)
    match = _understood_match(connection, index, parsed, query, ranked)
    rows, counts = index.facet_counts(match.rows, masks)
    scores = None
    if match.scores is not None:
        scores = match.scores[np.searchsorted(match.rows, rows)] if len(rows) else np.zeros(0)
    return _Plan(index, parsed, rows, scores, counts)


def _ordered(plan: _Plan, sort: str, limit: int | None = None) -> np.ndarray:
    """Row positions in the requested order (only the first ``limit`` are guaranteed)."""
    index, rows = plan.index, plan.rows
    if sort not in SORTS:
        sort = "relevance"
    scores = plan.scores
    if sort == "relevance" and scores is None:
        sort = BROWSE_RELEVANCE
    if sort != "relevance" or scores is None:
        return index.sort_rows(rows, sort)
    ids = index.ids[rows]
    if limit is not None and limit < len(rows) // 4:
        # Only the page is needed: partition out the best `limit`, then sort just those
        # (ties must not straddle the cut, so take everything scoring at least the cut-off).
        cutoff = np.partition(-scores, limit - 1)[limit - 1]
        keep = np.flatnonzero(-scores <= cutoff)
        rows, scores, ids = rows[keep], scores[keep], ids[keep]
    return rows[np.lexsort((ids, -scores))]


def search(query: SearchQuery, *, suggest_when_empty: bool = False) -> SearchResult:
    """Ranked, filtered, faceted search (or browsing, when the query has no words).

    ``suggest_when_empty``: when words find nothing, fill ``suggestions`` (``suggest.py``; a
    few more engine queries, so only the explorer, the API and the CLI ask for it).
    """
    started = time.perf_counter()
    connection = _connection()
    plan = _plan(query, connection)
    page = max(1, min(int(query.page), MAX_PAGE))
    size = max(1, min(int(query.page_size), MAX_ROWS))
    start = (page - 1) * size
    ordered = _ordered(plan, query.sort, limit=start + size)
    page_rows = ordered[start : start + size]
    scores = None
    if plan.scores is not None and len(page_rows):
        # In text mode plan.rows is sorted (a filtered subset of the sorted match rows).
        scores = plan.scores[np.searchsorted(plan.rows, page_rows)].tolist()
    hits = _load_hits(
        connection,
        plan.index.ids[page_rows].tolist(),
        None if plan.parsed.is_browse else plan.parsed,
        scores,
    )
    result = SearchResult(
        query=query,
        total=len(plan.rows),
        hits=hits,
        facets=_build_facets(plan.index, plan.counts, query),
        also_searched=tuple(
            " ".join(a)
            for g in plan.parsed.groups
            for a in [a for a in g if a[0] != ALL_WORDS][:3]  # not the typed words themselves
        ),
        themes_included=tuple(
            dict.fromkeys(  # one name, even when two vocabularies have it
                plan.index.theme_names[c]
                for codes in named_themes(plan.index, plan.parsed, query.text)
                for c in codes.tolist()
            )
        )
        if not query.literal and not plan.parsed.is_browse
        else (),
    )
    if suggest_when_empty and not result.total and not plan.parsed.is_browse:
        result.suggestions = suggest.suggestions(query, plan.index, count_matches)
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def count_matches(query: SearchQuery, index: facet_index.FacetIndex | None = None) -> int:
    """How many recommendations a query finds (facet index and match cache: cheap)."""
    connection = _connection()
    if index is None:
        index = facet_index.get_index(connection)
    parsed = parse_query(query)
    masks = index.filter_masks(query.filters())
    if parsed.is_browse:
        rows, _counts = index.facet_counts(None, masks)
        return len(rows)
    match = _understood_match(connection, index, parsed, query, ranked=False)
    rows = match.rows
    for mask in masks.values():
        rows = rows[mask[rows]]
    return len(rows)


def iter_ids(query: SearchQuery) -> Iterator[int]:
    """Every matching id in the query's sort order (for exports); paging is ignored."""
    plan = _plan(query, _connection())
    ids = plan.index.ids[_ordered(plan, query.sort)]
    for start in range(0, len(ids), 10_000):
        yield from ids[start : start + 10_000].tolist()


def _load_hits(
    connection: BaseDatabaseWrapper,
    ids: list[int],
    parsed: ParsedQuery | None,
    scores: list[float] | None,
) -> list[Hit]:
    if not ids:
        return []
    queryset = Recommendation.objects.with_details().filter(pk__in=ids).order_by()
    if parsed is not None and not parsed.matches_nothing:
        sql, params = get_backend(connection).snippet_sql(parsed)
        queryset = queryset.annotate(search_snippet=RawSQL(sql, params))  # noqa: S611
    by_id = {rec.pk: rec for rec in queryset}
    hits = []
    for i, pk in enumerate(ids):
        rec = by_id.get(pk)
        if rec is None:  # deleted since the index was read
            continue
        marked = getattr(rec, "search_snippet", None)
        snippet = highlight.render(marked) if marked else highlight.plain(rec.text)
        hits.append(
            Hit(id=pk, recommendation=rec, snippet=snippet, score=scores[i] if scores else None)
        )
    return hits


# --- facets ------------------------------------------------------------------------------------


def _value_label(index: facet_index.FacetIndex, name: str, code: int) -> tuple[str, str]:
    """(label, group) of a facet value."""
    if name in ("state", "recommending_state"):
        # Names in the visitor's language; the value (and the index) keep the code.
        return state_name(index.states[code], index.state_names[code]), ""
    if name in ("region", "recommending_region"):
        return str(RegionalGroup(facet_index.REGIONS[code]).label), ""
    if name == "cycle":
        return _("Cycle %(number)s") % {"number": code}, ""
    if name == "session":
        return _("UPR %(number)s") % {"number": code}, ""
    if name == "position":
        return str(Position(facet_index.POSITIONS[code]).label), ""
    if name == "action_category":
        return str(ActionCategory(code).label), ""
    slug = index.theme_vocabularies[code] if index.theme_vocabularies else ""
    return (
        theme_name(index.theme_names[code], slug),
        vocabulary_name(slug, index.theme_groups[code]),
    )


def _build_facets(
    index: facet_index.FacetIndex, counts: dict[str, np.ndarray], query: SearchQuery
) -> dict[str, Facet]:
    labels = _facet_labels()
    result: dict[str, Facet] = {}
    for name in FACETS:
        count = counts[name]
        selected = set(index.codes(name, getattr(query, name)).tolist())
        codes = set(np.flatnonzero(count).tolist()) | selected
        if name in ("region", "recommending_region", "position", "action_category"):
            codes.discard(0)  # "none": not a value anyone can select
        values = []
        for code in codes:
            label, group = _value_label(index, name, code)
            values.append(
                FacetValue(
                    value=str(index.value_of(name, code)),
                    label=label,
                    count=int(count[code]) if code < len(count) else 0,
                    selected=code in selected,
                    group=group,
                )
            )
        if name in _ORDINAL_FACETS:
            order = {v: i for i, v in enumerate(map(str, _ordinal_values(index, name)))}
            values.sort(key=lambda v: order.get(v.value, len(order)))
        else:
            values.sort(key=lambda v: (v.group.casefold(), -v.count, v.label.casefold()))
            values = _top_per_group(values)
        result[name] = Facet(name=name, label=labels[name], values=values)
    return result


def _ordinal_values(index: facet_index.FacetIndex, name: str) -> list:
    if name == "position":
        return list(facet_index.POSITIONS)
    if name == "action_category":
        return list(facet_index.ACTION_CATEGORIES)
    return sorted(index.lookups[name])


def _top_per_group(values: list[FacetValue]) -> list[FacetValue]:
    """The most frequent values of each group (vocabulary), keeping selected ones."""
    kept: list[FacetValue] = []
    per_group: dict[str, int] = {}
    for value in values:
        seen = per_group.get(value.group, 0)
        if seen < MAX_FACET_VALUES or value.selected:
            kept.append(value)
            per_group[value.group] = seen + 1
    return kept


# --- similar recommendations -------------------------------------------------------------------

SIMILAR_WORDS = 8
SIMILAR_CANDIDATE_WORDS = 16
# A word in more rows than this says little about what a text is about (and counting further
# costs time: on PostgreSQL every counted row is a heap fetch).
SIMILAR_COMMON = 2000


def similar(recommendation: Recommendation, limit: int = 5) -> list[Hit]:
    """The same or similar recommendations made in other reviews, of this State or others.

    Identical texts (same ``text_key``) come first, this State's own other reviews before
    other States; then the engine's best matches for the text's most distinctive words (the
    rarest ones, counted by the engine itself so stemming agrees), OR-ed. Four queries plus the
    hits' ``with_details()`` prefetches; no facet index is needed. With
    ``UPRHUB_SIMILARITY=semantic`` and its extra installed, the texts nearest in meaning
    (sentence embeddings, ``semantic.py``) take the engine's place.
    """
    connection = _connection()
    own_review, own_state = recommendation.review_id, recommendation.review.state_id
    same_text = list(
        Recommendation.objects.filter(text_key=recommendation.text_key)
        .exclude(review_id=own_review)
        .values_list("id", "review__state_id")[: limit * 4]
    )
    same_text.sort(key=lambda r: (r[1] != own_state, r[0]))
    chosen = [pk for pk, _state in same_text[:limit]]
    parsed = None
    if len(chosen) < limit:
        # Nearest in meaning when UPRHUB_SIMILARITY=semantic (None: the engine's words, below).
        nearest = semantic.similar_ids(recommendation, limit - len(chosen), set(chosen))
        if nearest is not None:
            chosen += [pk for pk, _score in nearest]
        else:
            parsed = _distinctive_query(connection, recommendation.text)
    if parsed is not None:
        # Rows of the same review are dropped after loading (their review_id comes with them),
        # so ask for a few times more than needed instead of running one more query.
        seen = {*chosen, recommendation.pk}
        ranked = get_backend(connection).top(connection, parsed, limit * 10 + 20)
        chosen += [pk for pk in ranked if pk not in seen][: (limit - len(chosen)) * 4]
    hits = [
        h
        for h in _load_hits(connection, chosen, parsed, None)
        if h.recommendation.review_id != own_review
    ]
    return hits[:limit]


def _distinctive_query(connection: BaseDatabaseWrapper, text: str) -> ParsedQuery | None:
    common = SIMILAR_COMMON
    words = [w for w in parse(text[:MAX_TEXT]).words if len(w) > 2 and not w.isdigit()][
        :SIMILAR_CANDIDATE_WORDS
    ]
    if not words:
        return None
    frequencies = get_backend(connection).document_frequencies(connection, words, common)
    # Words found elsewhere (df >= 2), rarest first.
    ranked = sorted((f, i, w) for i, w in enumerate(words) if (f := frequencies.get(w, 0)) >= 2)
    rare = [w for f, _i, w in ranked if f < common][:SIMILAR_WORDS]
    if len(rare) >= 2:
        return ParsedQuery(words=tuple(rare), had_terms=True, any_of=True)
    # Only common words: require the few least common together instead of any of many.
    least_common = [w for _f, _i, w in ranked][:4]
    if not least_common:
        return None
    return ParsedQuery(words=tuple(least_common), had_terms=True)


# --- themes and URLs ---------------------------------------------------------------------------


def theme_ids_by_name(name: str) -> list[int]:
    """Ids of themes with this name in any vocabulary, ignoring case."""
    name = (name or "").strip()
    if not name:
        return []
    return sorted(Theme.objects.filter(name__iexact=name).values_list("id", flat=True))


def query_from_params(params: Mapping[str, Any]) -> SearchQuery:
    """A SearchQuery from URL parameters that never raises: what ``request.parse_search_request``
    would refuse is dropped. Pages, the API and the CLI use the strict parser."""
    return parse_search_request(params, source="web", strict=False)


def query_to_params(query: SearchQuery) -> list[tuple[str, str]]:
    """URL parameters that reproduce the query (for shareable links); defaults are left out."""
    params: list[tuple[str, str]] = []
    if query.text:
        params.append(("q", query.text))
    for name in FACETS:
        params.extend((name, str(value)) for value in getattr(query, name))
    if query.sort != "relevance":
        params.append(("sort", query.sort))
    if query.page != 1:
        params.append(("page", str(query.page)))
    if query.page_size != SearchQuery.page_size:
        params.append(("page_size", str(query.page_size)))
    if query.suggestions:
        params.append(("suggestions", "1"))
    if query.literal:
        params.append(("literal", "1"))
    return params
