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

from django.db.backends.base.base import BaseDatabaseWrapper

from .base import ELLIPSIS, LESS_THAN, START, STOP, SearchBackend

__all__ = ["ELLIPSIS", "LESS_THAN", "START", "STOP", "SearchBackend", "get_backend"]


def get_backend(connection: BaseDatabaseWrapper) -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
