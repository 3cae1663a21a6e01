"""Search: one layer over SQLite FTS5 and PostgreSQL full-text, with facets.

Callers use ``service`` (``search``, ``iter_ids``, ``similar``, ``theme_ids_by_name``,
``query_from_params``, ``query_to_params``) and the dataclasses in ``types``; writers that
bypass the ORM call ``index.mark_changed()`` (or ``index.rebuild()`` after a raw bulk load with
the triggers dropped). Nothing outside this package knows which database runs.

Layout (why each piece exists):

* ``request`` — the one parser of search parameters (explorer, exports, API, CLI) and the
  limits they share; it refuses bad input with one message per field.
* ``query`` — user text → safe terms (words, "phrases"); generates the FTS5 MATCH string or a
  parameterised tsquery. Never raises; operators, emoji, NUL bytes are separators.
* ``index`` — database structures: the FTS5 table and its triggers (SQLite), the generated
  ``search_vector`` column + GIN index (PostgreSQL), and triggers that change
  ``IndexState.version`` on every write to the tables facets are built from.
* ``facets`` — an in-memory numpy copy of every recommendation's facet values and sort keys,
  reloaded when the version changes. Disjunctive counts, filtering and browse sorting happen
  here, because at 1M rows a database ``GROUP BY`` per facet per request is too slow.
* ``backends`` — the two engines: matching ids (ranked only when needed), the engine's own
  top-N, highlighted snippets as SQL for the page's rows, word frequencies.
* ``highlight`` — sentinel-marked engine output → escaped HTML with ``<mark>``.
* ``service`` — puts it together; caches full-text matches per (data version, query).
"""
