"""PostgreSQL full-text: the generated ``search_vector`` column, its GIN index and ``ts_rank``."""

from __future__ import annotations

import numpy as np
from django.db.backends.base.base import BaseDatabaseWrapper

from ..facets import parse_ints
from ..index import PG_COLUMN, PG_CONFIG, REC_TABLE
from ..query import ParsedQuery
from .base import ELLIPSIS, LESS_THAN, START, STOP

HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=48, MinWords=24, ShortWord=2,"
    f' MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)


class PostgresBackend:
    vendor = "postgresql"

    def _tsquery(self, parsed: ParsedQuery) -> tuple[str, list[str]]:
        return parsed.pg_tsquery(PG_CONFIG)

    def match_ids(self, connection: BaseDatabaseWrapper, parsed: ParsedQuery) -> np.ndarray:
        tsquery, params = self._tsquery(parsed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT string_agg(r.id::text, ',') FROM {REC_TABLE} r,"  # noqa: S608
                f" (SELECT {tsquery} AS q) q WHERE r.{PG_COLUMN} @@ q.q",
                params,
            )
            return parse_ints(cursor.fetchone()[0])

    def match(
        self, connection: BaseDatabaseWrapper, parsed: ParsedQuery
    ) -> tuple[np.ndarray, np.ndarray]:
        tsquery, params = self._tsquery(parsed)
        with connection.cursor() as cursor:
            # Both aggregates read the rows in the same order, so ids and scores line up.
            cursor.execute(
                f"SELECT string_agg(r.id::text, ','),"  # noqa: S608
                f" string_agg(ts_rank(r.{PG_COLUMN}, q.q)::text, ',') FROM {REC_TABLE} r,"
                f" (SELECT {tsquery} AS q) q WHERE r.{PG_COLUMN} @@ q.q",
                params,
            )
            ids, scores = cursor.fetchone()
        return parse_ints(ids), parse_ints(scores, np.float64)

    def top(self, connection: BaseDatabaseWrapper, parsed: ParsedQuery, limit: int) -> list[int]:
        tsquery, params = self._tsquery(parsed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.id FROM {REC_TABLE} r, (SELECT {tsquery} AS q) q"  # noqa: S608
                f" WHERE r.{PG_COLUMN} @@ q.q ORDER BY ts_rank(r.{PG_COLUMN}, q.q) DESC, r.id"
                " LIMIT %s",
                [*params, limit],
            )
            return [r[0] for r in cursor.fetchall()]

    def snippet_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        tsquery, params = self._tsquery(parsed)
        # "<" swapped for a private-use character, as in the indexed document (index.py), so
        # the words of "<script>" are highlighted too; highlight.render() swaps it back.
        sql = f"ts_headline('{PG_CONFIG}', replace({REC_TABLE}.text, '<', %s), {tsquery}, %s)"
        return sql, [LESS_THAN, *params, HEADLINE_OPTIONS]

    def document_frequencies(
        self, connection: BaseDatabaseWrapper, words: list[str], cap: int
    ) -> dict[str, int]:
        if not words:
            return {}
        # Capped counts: a GIN bitmap for a common word is cheap, fetching 500,000 heap rows
        # is not, and "common" is all we need to know.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT w, (SELECT count(*) FROM (SELECT 1 FROM {REC_TABLE}"  # noqa: S608
                f" WHERE {PG_COLUMN} @@ plainto_tsquery('{PG_CONFIG}', w) LIMIT %s) s)"
                " FROM unnest(%s::text[]) AS w",
                [cap, list(words)],
            )
            return {w: int(c) for w, c in cursor.fetchall()}
