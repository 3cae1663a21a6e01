"""The backends' shared interface and the snippet sentinels (see the package docstring)."""

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
