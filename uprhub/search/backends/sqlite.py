"""SQLite FTS5: ``bm25`` ranking over the external-content table kept by ``index.py``."""

from __future__ import annotations

import numpy as np
from django.db.backends.base.base import BaseDatabaseWrapper

from ..facets import parse_ints
from ..index import FTS_TABLE, REC_TABLE
from ..query import ParsedQuery
from .base import ELLIPSIS, START, STOP

SNIPPET_TOKENS = 48  # FTS5's maximum is 64; most recommendations fit whole


class SqliteBackend:
    vendor = "sqlite"

    def match_ids(self, connection: BaseDatabaseWrapper, parsed: ParsedQuery) -> np.ndarray:
        # Unranked: FTS5 only walks the doclists (121,000 ids in ~6 ms at 1M rows), and the ids
        # arrive as one string rather than 121,000 Python tuples.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT group_concat(rowid) FROM (SELECT rowid FROM {FTS_TABLE}"  # noqa: S608
                f" WHERE {FTS_TABLE} MATCH %s)",
                [parsed.fts5_match()],
            )
            return parse_ints(cursor.fetchone()[0])

    def match(
        self, connection: BaseDatabaseWrapper, parsed: ParsedQuery
    ) -> tuple[np.ndarray, np.ndarray]:
        # bm25 for every match (~0.8 us a row); FTS5 cannot rank a subset any cheaper, and
        # ORDER BY rank LIMIT k costs the same since it sorts them all.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT group_concat(rowid), group_concat(rank) FROM (SELECT rowid, rank"  # noqa: S608
                f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
                [parsed.fts5_match()],
            )
            ids, ranks = cursor.fetchone()
        # FTS5's rank is bm25(), where more negative is better.
        return parse_ints(ids), -parse_ints(ranks, np.float64)

    def top(self, connection: BaseDatabaseWrapper, parsed: ParsedQuery, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s",  # noqa: S608
                [parsed.fts5_match(), limit],
            )
            return [r[0] for r in cursor.fetchall()]

    def snippet_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        # A correlated lookup by rowid: FTS5 seeks straight to the row, so 20 rows cost ~nothing.
        sql = (
            f"(SELECT snippet({FTS_TABLE}, 0, %s, %s, %s, {SNIPPET_TOKENS}) FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {REC_TABLE}.id)"
        )
        return sql, [START, STOP, ELLIPSIS, parsed.fts5_match()]

    def document_frequencies(
        self, connection: BaseDatabaseWrapper, words: list[str], cap: int
    ) -> dict[str, int]:
        if not words:
            return {}
        # Count through MATCH (not fts5vocab) so the word is stemmed exactly as when searching.
        parts = " UNION ALL ".join(
            f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s LIMIT %s))"
            for _ in words
        )
        params: list = []
        for word in words:
            params += [word, f'"{word}"', cap]
        with connection.cursor() as cursor:
            cursor.execute(parts, params)
            return {w: int(c) for w, c in cursor.fetchall()}
