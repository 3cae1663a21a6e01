"""Full-text engines behind one small interface. Nothing outside ``uprhub.search`` imports these.

A backend answers three questions about a parsed query: which recommendation ids match (with a
score only when sorting by relevance: ranking every match is most of the cost); how to compute a
highlighted snippet for a row, as an SQL expression usable in an ORM annotation (so snippets
arrive with the page's rows, in the same query); and how common some words are (for "similar").

All SQL in the backends is assembled from module constants; user text only ever travels as query
parameters (hence the ``noqa: S608`` markers).

Snippets are marked with the sentinels below and turned into ``<mark>`` only after
HTML-escaping (see ``uprhub.search.highlight``): neither user text nor data is trusted as HTML.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from django.db.backends.base.base import BaseDatabaseWrapper

from ..query import ParsedQuery

START, STOP = "\ue000", "\ue001"  # private-use characters: never in real text, never HTML
ELLIPSIS = "…"
LESS_THAN = "\ue002"  # stands for "<" in text given to PostgreSQL's ts_headline (see index.py)


class SearchBackend(Protocol):
    vendor: str

    def match_ids(self, connection: BaseDatabaseWrapper, parsed: ParsedQuery) -> np.ndarray:
        """All matching ids (int64), unranked: what counting and non-relevance sorts need."""

    def match(
        self, connection: BaseDatabaseWrapper, parsed: ParsedQuery
    ) -> tuple[np.ndarray, np.ndarray]:
        """All matching ids (int64) and their scores (float64, higher is better)."""

    def top(self, connection: BaseDatabaseWrapper, parsed: ParsedQuery, limit: int) -> list[int]:
        """The engine's own relevance-ranked top ids (the benchmark's floor; ``similar``)."""

    def snippet_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        """SQL (and params) computing a snippet for the current recommendations row."""

    def document_frequencies(
        self, connection: BaseDatabaseWrapper, words: list[str], cap: int
    ) -> dict[str, int]:
        """How many rows contain each word (counts above ``cap`` may be reported as ``cap``)."""


def get_backend(connection: BaseDatabaseWrapper) -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
