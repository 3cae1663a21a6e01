"""An in-memory, columnar copy of every recommendation's facet values and sort keys.

Why: at 1,000,000 recommendations a single ``GROUP BY`` takes ~100 ms on these machines, and the
explorer needs nine disjunctive facet counts per request. Holding the facet values as numpy
arrays (~60 MB at 1M rows) turns each count into a ``bincount`` over the candidate rows, whatever
the database. The copy is rebuilt when ``search_indexstate.version`` changes (checked with one
primary-key read per search), so it is never stale for longer than it takes to notice.

Rows are addressed by *position* ``i`` in ``ids`` (sorted recommendation ids). Single-valued
facets are one small-int array each; multi-valued facets (recommending State and its regional
group, theme) are CSR-style: ``indptr`` over positions and the ``values`` of each row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from uprhub.recommendations.models import ActionCategory, Position
from uprhub.reviews.models import RegionalGroup

from . import index

SINGLE = ("state", "region", "cycle", "session", "position", "action_category")
MULTI = ("recommending_state", "recommending_region", "theme")

REGIONS: tuple[str, ...] = ("", *RegionalGroup.values)
POSITIONS: tuple[str, ...] = ("", *Position.values)
ACTION_CATEGORIES: tuple[int, ...] = (0, *ActionCategory.values)
_NO_PARAGRAPH = 2**62

# Which value list each facet's codes index into (cycle and session codes are the numbers).
_VALUE_SPACE = {
    "state": "states",
    "recommending_state": "states",
    "region": "regions",
    "recommending_region": "regions",
    "theme": "themes",
}


@dataclass
class Multi:
    """A multi-valued facet: row ``i`` has ``values[indptr[i]:indptr[i + 1]]`` (no repeats)."""

    indptr: np.ndarray  # int64, len n + 1
    values: np.ndarray  # int32 codes
    owner: np.ndarray  # int32 row position of each entry (same length as values)

    def rows_with_any(self, selected: np.ndarray, n: int) -> np.ndarray:
        """Boolean row mask: rows having at least one of the selected codes."""
        hit = selected[self.values]
        mask = np.zeros(n, dtype=bool)
        mask[self.owner[hit]] = True
        return mask

    def entries_of(self, rows: np.ndarray) -> np.ndarray:
        """The codes of the given rows' entries (vectorised gather of CSR ranges)."""
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, dtype=self.values.dtype)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return self.values[offsets + np.arange(total)]


@dataclass
class FacetIndex:
    """Facet codes, sort orders and value labels for one data version."""

    version: int
    ids: np.ndarray  # int64, sorted
    single: dict[str, np.ndarray]
    multi: dict[str, Multi]
    # code -> URL value and label; "states" etc. are shared by two facets.
    states: list[str]  # codes
    state_names: list[str]
    themes: list[int]  # theme ids
    theme_names: list[str]
    theme_groups: list[str]  # vocabulary name
    cycles: list[int]
    sessions: list[int]
    theme_vocabularies: list[str] = field(default_factory=list)  # vocabulary slug
    orders: dict[str, np.ndarray] = field(default_factory=dict)  # sort -> row permutation
    ranks: dict[str, np.ndarray] = field(default_factory=dict)  # sort -> position in the order
    totals: dict[str, np.ndarray] = field(default_factory=dict)  # unfiltered counts
    lookups: dict[str, dict] = field(default_factory=dict)  # facet -> URL value -> code
    cardinalities: dict[str, int] = field(default_factory=dict)
    load_seconds: float = 0.0
    # The same index with pending machine suggestions counted in, made on first request.
    with_suggested: FacetIndex | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        arrays: list[np.ndarray] = [self.ids, *self.single.values(), *self.orders.values()]
        arrays += [*self.ranks.values()]
        for multi in self.multi.values():
            arrays += [multi.indptr, multi.values, multi.owner]
        return sum(a.nbytes for a in arrays)

    def cardinality(self, name: str) -> int:
        """Number of codes of a facet (bincount length), computed once per index."""
        known = self.cardinalities.get(name)
        if known is not None:
            return known
        if name in self.single:
            return int(self.single[name].max(initial=0)) + 1 if self.size else 1
        return int(self.multi[name].values.max(initial=0)) + 1

    # --- translating between URL values and codes -------------------------------------------

    def codes(self, name: str, values: Iterable) -> np.ndarray:
        """Codes for URL values; unknown values are dropped (so they select nothing)."""
        lookup = self.lookups[name]
        found = {lookup[v] for v in values if v in lookup}
        return np.fromiter(sorted(found), dtype=np.int64, count=len(found))

    def value_of(self, name: str, code: int):
        space = _VALUE_SPACE.get(name)
        if space == "states":
            return self.states[code]
        if space == "regions":
            return REGIONS[code]
        if space == "themes":
            return self.themes[code]
        if name == "position":
            return POSITIONS[code]
        return code  # cycle, session, action_category: the number itself

    def positions_of(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row positions of recommendation ids, and which ids this version knows.

        Unknown ids (rows written after the index was loaded, before the version check saw
        them) are dropped from the positions; the boolean array says which input ids remain.
        """
        ids = np.asarray(ids, dtype=np.int64)
        if not self.size:
            return np.zeros(0, dtype=np.int64), np.zeros(len(ids), dtype=bool)
        pos = np.searchsorted(self.ids, ids)
        pos[pos >= self.size] = 0
        known = self.ids[pos] == ids
        return pos[known], known

    # --- filtering and counting -------------------------------------------------------------

    def filter_masks(self, filters: dict[str, tuple]) -> dict[str, np.ndarray]:
        """One boolean row mask per active facet filter (values OR-ed within a facet)."""
        masks: dict[str, np.ndarray] = {}
        for name, values in filters.items():
            codes = self.codes(name, values)
            selected = np.zeros(max(self.cardinality(name), int(codes.max(initial=0)) + 1), bool)
            selected[codes] = True
            if name in self.single:
                masks[name] = selected[self.single[name]]
            else:
                masks[name] = self.multi[name].rows_with_any(selected, self.size)
        return masks

    def count(self, name: str, rows: np.ndarray | None) -> np.ndarray:
        """Counts per code over the given rows (``None`` = every row)."""
        if rows is None:
            return self.totals[name]
        minlength = self.cardinality(name)
        if name in self.single:
            return np.bincount(self.single[name][rows], minlength=minlength)
        multi = self.multi[name]
        if len(rows) * 4 < self.size:
            return np.bincount(multi.entries_of(rows), minlength=minlength)
        inside = np.zeros(self.size, dtype=bool)
        inside[rows] = True
        return np.bincount(multi.values[inside[multi.owner]], minlength=minlength)

    def facet_counts(
        self, candidates: np.ndarray | None, masks: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Filtered rows and disjunctive counts for every facet.

        ``candidates`` are the rows matching the text (``None`` in browse mode = all rows).
        A facet's counts apply every *other* facet's filter but not its own, so the sidebar
        shows how many results each additional value would add.
        """
        names = list(masks)

        def rows_passing(excluded: str | None) -> np.ndarray | None:
            active = [masks[n] for n in names if n != excluded]
            if not active:
                return candidates
            if candidates is None:
                combined = np.logical_and.reduce(active) if len(active) > 1 else active[0]
                return np.flatnonzero(combined)
            keep = np.ones(len(candidates), dtype=bool)
            for mask in active:
                keep &= mask[candidates]
            return candidates[keep]

        filtered = rows_passing(None)
        counts: dict[str, np.ndarray] = {}
        for name in (*SINGLE, *MULTI):
            rows = rows_passing(name) if name in masks else filtered
            counts[name] = self.count(name, rows)
        if filtered is None:
            filtered = np.arange(self.size)
        return filtered, counts

    def sort_rows(self, rows: np.ndarray, sort: str) -> np.ndarray:
        """Rows in a browse order ("date", "-date", "paragraph"); ``rows`` need not be sorted."""
        order = self.orders[sort]
        if len(rows) == self.size:
            return order
        if len(rows) * 8 >= self.size:
            inside = np.zeros(self.size, dtype=bool)
            inside[rows] = True
            return order[inside[order]]
        return rows[np.argsort(self.ranks[sort][rows], kind="stable")]


# --- loading ---------------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, FacetIndex] = {}


def get_index(connection: BaseDatabaseWrapper | None = None) -> FacetIndex:
    """The facet index for the current data version (one cheap query when it is cached)."""
    connection = connection or connections["default"]
    version = index.current_version(connection)
    cached = _cache.get(connection.alias)
    if cached is not None and cached.version == version:
        return cached
    with _lock:  # one thread loads; the others wait for its result rather than load again
        cached = _cache.get(connection.alias)
        if cached is not None and cached.version == version:
            return cached
        loaded = load(connection, version)
        _cache[connection.alias] = loaded
        return loaded


def with_suggestions(base: FacetIndex, connection: BaseDatabaseWrapper) -> FacetIndex:
    """``base`` with pending machine suggestions counted as if they were labels.

    "theme" becomes labels ∪ pending issue suggestions, and "action_category" the recorded
    category or, for rows without one, the pending suggested one. Built on first use for each
    data version (two small reads), then kept on ``base``; searches without suggestions never
    pay for it.
    """
    variant = base.with_suggested
    if variant is not None:
        return variant
    with _lock:
        if base.with_suggested is None:
            base.with_suggested = _load_suggested(base, connection)
        return base.with_suggested


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def int_columns(cursor, vendor: str, table: str, exprs: Sequence[str]) -> list[np.ndarray]:
    """Integer columns of a whole table as numpy arrays, sorted by the first one (the id).

    Each column comes back as *one* comma-separated string (``group_concat`` / ``string_agg``)
    parsed by numpy: at 1,000,000 rows that is ~20x faster than a million Python tuples. The
    aggregates of one query see the rows in the same order, so the columns line up; sorting is
    left to numpy (PostgreSQL's ``ORDER BY`` inside an aggregate sorts on disk at this size).
    ``table`` and ``exprs`` are module constants, never user input.
    """
    if vendor == "postgresql":
        aggs = ", ".join(f"string_agg(({e})::text, ',')" for e in exprs)
        sql = f"SELECT {aggs} FROM {table}"  # noqa: S608
    else:
        inner = ", ".join(f"{e} AS c{i}" for i, e in enumerate(exprs))
        aggs = ", ".join(f"group_concat(c{i})" for i in range(len(exprs)))
        sql = f"SELECT {aggs} FROM (SELECT id, {inner} FROM {table} ORDER BY id)"  # noqa: S608
    cursor.execute(sql)
    columns = [parse_ints(text) for text in cursor.fetchone()]
    first = columns[0]
    if len(first) > 1 and not bool(np.all(first[1:] >= first[:-1])):
        order = np.argsort(first, kind="stable")
        columns = [column[order] for column in columns]
    return columns


def parse_ints(text: str | None, dtype=np.int64) -> np.ndarray:
    """A comma-separated list of numbers (as aggregated by the database) to an array."""
    if not text:
        return np.zeros(0, dtype=dtype)
    return np.fromstring(text, dtype=dtype, sep=",")


def _day(value) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return value.toordinal()


def _multi(owner_pos: np.ndarray, values: np.ndarray, n: int) -> Multi:
    """CSR from (row position, code) pairs, de-duplicated and sorted by row."""
    if len(owner_pos):
        pairs = np.sort(owner_pos.astype(np.int64) * (1 << 32) + values.astype(np.int64))
        distinct = np.ones(len(pairs), dtype=bool)  # np.unique hashes first: ~10x slower here
        distinct[1:] = pairs[1:] != pairs[:-1]
        pairs = pairs[distinct]
        owner_pos, values = (pairs >> 32).astype(np.int32), (pairs & 0xFFFFFFFF).astype(np.int32)
    else:
        owner_pos, values = owner_pos.astype(np.int32), values.astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner_pos, minlength=n), out=indptr[1:])
    return Multi(indptr=indptr, values=values, owner=owner_pos)


def load(connection: BaseDatabaseWrapper, version: int) -> FacetIndex:
    """Read every facet column from the database (a handful of queries, no ORM objects)."""
    started = time.perf_counter()
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code, short_name, regional_group FROM reviews_state ORDER BY id")
        state_rows = cursor.fetchall()
        cursor.execute("SELECT number, cycle_id, start_date FROM reviews_session")
        session_rows = cursor.fetchall()
        cursor.execute("SELECT id, state_id, session_id, review_date FROM reviews_review")
        review_rows = cursor.fetchall()
        cursor.execute(
            "SELECT t.id, t.name, v.name, v.slug FROM recommendations_theme t"
            " JOIN recommendations_vocabulary v ON v.id = t.vocabulary_id ORDER BY t.id"
        )
        theme_rows = cursor.fetchall()
        position = " ".join(f"WHEN '{p}' THEN {i}" for i, p in enumerate(POSITIONS) if p)
        recs = int_columns(
            cursor,
            vendor,
            "recommendations_recommendation",
            [
                "id",
                "review_id",
                f"CASE position {position} ELSE 0 END",
                "COALESCE(action_category, 0)",
                f"COALESCE(paragraph_sort, {_NO_PARAGRAPH})",
            ],
        )
        recommenders = int_columns(
            cursor, vendor, "recommendations_recommendingstate", ["recommendation_id", "state_id"]
        )
        labels = int_columns(
            cursor, vendor, "recommendations_label", ["recommendation_id", "theme_id"]
        )

    # Dimension tables -> dense codes.
    state_ids = np.array([r[0] for r in state_rows], dtype=np.int64)
    state_codes = [r[1] for r in state_rows]
    state_names = [r[2] for r in state_rows]
    region_code = {r: i for i, r in enumerate(REGIONS)}
    state_region = np.array([region_code.get(r[3] or "", 0) for r in state_rows], dtype=np.int8)
    name_rank = np.empty(len(state_rows), dtype=np.int32)
    name_rank[sorted(range(len(state_rows)), key=lambda i: (state_names[i].casefold(), i))] = (
        np.arange(len(state_rows), dtype=np.int32)
    )
    session_cycle = {r[0]: r[1] for r in session_rows}
    session_day = {r[0]: _day(r[2]) for r in session_rows}

    def state_pos(ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(state_ids, ids).astype(np.int32)

    max_review = max((r[0] for r in review_rows), default=0) + 1
    review_state = np.zeros(max_review, dtype=np.int32)
    review_session = np.zeros(max_review, dtype=np.int16)
    review_cycle = np.zeros(max_review, dtype=np.int16)
    review_day = np.zeros(max_review, dtype=np.int32)
    for rid, sid, session, review_date in review_rows:
        review_state[rid] = np.searchsorted(state_ids, sid)
        review_session[rid] = session
        review_cycle[rid] = session_cycle.get(session, 0)
        review_day[rid] = _day(review_date) or session_day.get(session, 0)

    ids, review, position_codes, action_codes, paragraph = recs
    n = len(ids)
    state = review_state[review]
    single = {
        "state": state,
        "region": state_region[state] if len(state_rows) else np.zeros(n, np.int8),
        "cycle": review_cycle[review],
        "session": review_session[review],
        "position": position_codes.astype(np.int8),
        "action_category": action_codes.astype(np.int8),
    }

    def positions(rec_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = np.searchsorted(ids, rec_ids)
        pos[pos >= n] = 0
        ok = ids[pos] == rec_ids if n else np.zeros(len(rec_ids), dtype=bool)
        return pos[ok], ok

    rec_pos, ok = positions(recommenders[0])
    recommender_state = state_pos(recommenders[1][ok])
    theme_ids = np.array([r[0] for r in theme_rows], dtype=np.int64)
    label_pos, ok = positions(labels[0])
    label_theme = np.searchsorted(theme_ids, labels[1][ok]).astype(np.int32)
    multi = {
        "recommending_state": _multi(rec_pos, recommender_state, n),
        "recommending_region": _multi(rec_pos, state_region[recommender_state], n),
        "theme": _multi(label_pos, label_theme, n),
    }

    facet_index = FacetIndex(
        version=version,
        ids=ids,
        single=single,
        multi=multi,
        states=state_codes,
        state_names=state_names,
        themes=[int(r[0]) for r in theme_rows],
        theme_names=[r[1] for r in theme_rows],
        theme_groups=[r[2] for r in theme_rows],
        theme_vocabularies=[r[3] for r in theme_rows],
        cycles=sorted(set(session_cycle.values())),
        sessions=sorted(session_cycle),
    )

    # Sort orders. "date": oldest review first; "-date": newest first; both then by State name
    # and paragraph. "paragraph": report order, i.e. grouped by State, then review, then number.
    day = review_day[review]
    session = single["session"]
    name = name_rank[state] if len(state_rows) else np.zeros(n, np.int32)
    orders = {
        "date": np.lexsort((ids, paragraph, name, session, day)),
        "-date": np.lexsort((ids, paragraph, name, -session.astype(np.int32), -day)),
        "paragraph": np.lexsort((ids, paragraph, session, name)),
    }
    for key, order in orders.items():
        order = order.astype(np.int32)
        facet_index.orders[key] = order
        rank = np.empty(n, dtype=np.int32)
        rank[order] = np.arange(n, dtype=np.int32)
        facet_index.ranks[key] = rank

    facet_index.lookups = {
        "state": {c: i for i, c in enumerate(state_codes)},
        "recommending_state": {c: i for i, c in enumerate(state_codes)},
        "region": {r: i for i, r in enumerate(REGIONS) if r},
        "recommending_region": {r: i for i, r in enumerate(REGIONS) if r},
        "cycle": {c: c for c in range(1, 1 + int(single["cycle"].max(initial=0)))}
        | {c: c for c in facet_index.cycles},
        "session": {s: s for s in range(1, 1 + int(single["session"].max(initial=0)))}
        | {s: s for s in facet_index.sessions},
        "position": {p: i for i, p in enumerate(POSITIONS) if p},
        "action_category": {a: a for a in ACTION_CATEGORIES if a},
        "theme": {t: i for i, t in enumerate(facet_index.themes)},
    }
    for name in (*SINGLE, *MULTI):
        facet_index.cardinalities[name] = facet_index.cardinality(name)
    all_rows = np.arange(n)
    facet_index.totals = {name: facet_index.count(name, all_rows) for name in (*SINGLE, *MULTI)}
    facet_index.load_seconds = time.perf_counter() - started
    return facet_index


SUGGESTION_TABLE = "classifier_suggestion"


def _pending(cursor, vendor: str, kind: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """(recommendation ids, values) of pending suggestions of one kind."""
    table = (
        f"(SELECT id, recommendation_id, {column} FROM {SUGGESTION_TABLE}"  # noqa: S608
        f" WHERE status = 'pending' AND kind = '{kind}') pending"
    )
    rec_ids, values = int_columns(cursor, vendor, table, ["recommendation_id", column])
    return rec_ids, values


def _load_suggested(base: FacetIndex, connection: BaseDatabaseWrapper) -> FacetIndex:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        issue_recs, issue_themes = _pending(cursor, connection.vendor, "issue", "theme_id")
        action_recs, action_values = _pending(
            cursor, connection.vendor, "action", "action_category"
        )
    n = base.size
    theme_ids = np.array(base.themes, dtype=np.int64)
    pos, known = base.positions_of(issue_recs)
    themes = issue_themes[known]
    codes = np.searchsorted(theme_ids, themes) if len(theme_ids) else np.zeros(0, np.int64)
    codes[codes >= len(theme_ids)] = 0
    ok = theme_ids[codes] == themes if len(theme_ids) else np.zeros(len(themes), dtype=bool)
    labels = base.multi["theme"]
    theme = _multi(
        np.concatenate([labels.owner, pos[ok]]).astype(np.int64),
        np.concatenate([labels.values, codes[ok]]).astype(np.int64),
        n,
    )
    action = base.single["action_category"].copy()
    pos, known = base.positions_of(action_recs)
    values = action_values[known].astype(np.int8)
    unset = action[pos] == 0
    action[pos[unset]] = values[unset]
    variant = dataclasses.replace(
        base,
        single={**base.single, "action_category": action},
        multi={**base.multi, "theme": theme},
        totals=dict(base.totals),
        cardinalities=dict(base.cardinalities),
        with_suggested=None,
    )
    all_rows = np.arange(n)
    for name in ("theme", "action_category"):
        variant.cardinalities.pop(name, None)
        variant.cardinalities[name] = variant.cardinality(name)
        variant.totals[name] = variant.count(name, all_rows)
    variant.load_seconds = time.perf_counter() - started
    return variant
