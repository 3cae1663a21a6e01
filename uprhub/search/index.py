"""The database-side structures that keep full-text search and the facet caches in step.

Everything vendor-specific about *storage* lives here (query-time differences live in
``backends/``):

* SQLite: an FTS5 external-content table ``search_fts`` over
  ``recommendations_recommendation.text`` (``porter unicode61 remove_diacritics 2``), kept in
  sync by AFTER INSERT/UPDATE/DELETE triggers.
* PostgreSQL: a stored generated ``search_vector`` column with a GIN index, built with the
  ``uprhub_english`` text-search configuration (English stemming; accents folded with
  ``unaccent`` when the extension can be created, so that both databases match "Cote" and
  "Côte" alike).
* Both: triggers that give ``search_indexstate.version`` a new value on every write to the
  tables the facet index is built from, so each process can tell in one tiny query whether its
  in-memory facet arrays are stale.

:func:`ensure_structures` is idempotent. The migration calls it, and so does a ``post_migrate``
handler, because Django's SQLite schema editor re-creates a table (dropping its triggers) when a
later migration alters it.

SQL here is built from the module's constants only (hence the ``noqa: S608`` markers).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

REC_TABLE = "recommendations_recommendation"
STATE_TABLE = "search_indexstate"
FTS_TABLE = "search_fts"
PG_CONFIG = "uprhub_english"
PG_COLUMN = "search_vector"
PG_INDEX = "search_rec_vector_gin"
# PostgreSQL's parser reads "<script>" as an HTML tag and indexes nothing of it; FTS5 indexes the
# word. Hiding "<" from the parser makes both databases see the same words.
PG_DOCUMENT = "replace(coalesce(text, ''), '<', ' ')"

# Tables whose rows feed the facet index (ids, labels, sort keys): any write changes the version.
VERSIONED_TABLES = (
    "recommendations_recommendation",
    "recommendations_recommendingstate",
    "recommendations_label",
    "recommendations_theme",
    "recommendations_vocabulary",
    "reviews_review",
    "reviews_session",
    "reviews_state",
    # Machine suggestions: the explorer can count and filter pending ones ("suggestions=1").
    "classifier_suggestion",
    # Deadlines: the home page shows the next one, and public pages are cached by this version.
    "uprcalendar_deadline",
)

# A fresh random token rather than "+ 1": see IndexState's docstring.
_SQLITE_NEW_VERSION = "abs(random() % 9000000000000000000)"
_PG_NEW_VERSION = "floor(random() * 9e18)::bigint"


def _existing_tables(cursor, vendor: str) -> set[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " UNION SELECT viewname FROM pg_views WHERE schemaname = current_schema()"
        )
    return {row[0] for row in cursor.fetchall()}


def ensure_structures(connection: BaseDatabaseWrapper | None = None) -> bool:
    """Create whatever is missing; return True if anything had to be (re)created.

    Safe to call at any time; a no-op (a few catalogue reads) when everything exists.
    """
    connection = connection or default_connection
    vendor = connection.vendor
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        tables = _existing_tables(cursor, vendor)
        if STATE_TABLE not in tables or REC_TABLE not in tables:
            return False  # migrating backwards, or not migrated yet
        if vendor == "sqlite":
            changed = _ensure_sqlite(cursor, tables)
        elif vendor == "postgresql":
            changed = _ensure_postgresql(cursor, tables, connection.alias)
        else:  # pragma: no cover - the project supports these two only
            raise NotImplementedError(f"search does not support {vendor}")
        _ensure_state_row(cursor, vendor)
    if changed:
        logger.info("search structures (re)created on %s", connection.alias)
    return changed


def _ensure_state_row(cursor, vendor: str) -> None:
    new = _SQLITE_NEW_VERSION if vendor == "sqlite" else _PG_NEW_VERSION
    conflict = "ON CONFLICT (id) DO NOTHING"
    cursor.execute(f"INSERT INTO {STATE_TABLE} (id, version) VALUES (1, {new}) {conflict}")  # noqa: S608


def _ensure_sqlite(cursor, tables: set[str]) -> bool:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    triggers = {row[0] for row in cursor.fetchall()}
    statements: list[str] = []
    created_fts = FTS_TABLE not in tables
    if created_fts:
        statements.append(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(text, content='{REC_TABLE}',"
            " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
        )
    fts_triggers = {
        "search_fts_ai": f"AFTER INSERT ON {REC_TABLE} BEGIN"  # noqa: S608
        f" INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
        "search_fts_ad": f"AFTER DELETE ON {REC_TABLE} BEGIN"  # noqa: S608
        f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);"
        " END",
        "search_fts_au": f"AFTER UPDATE OF id, text ON {REC_TABLE} BEGIN"  # noqa: S608
        f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text);"
        f" INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    }
    missing_fts_trigger = False
    for name, body in fts_triggers.items():
        if name not in triggers:
            missing_fts_trigger = True
            statements.append(f"CREATE TRIGGER {name} {body}")
    for table in VERSIONED_TABLES:
        if table not in tables:
            continue
        for op in ("INSERT", "UPDATE", "DELETE"):
            name = f"search_v_{table}_{op.lower()}"
            if name not in triggers:
                statements.append(
                    f"CREATE TRIGGER {name} AFTER {op} ON {table} BEGIN"  # noqa: S608
                    f" UPDATE {STATE_TABLE} SET version = {_SQLITE_NEW_VERSION}; END"
                )
    for statement in statements:
        cursor.execute(statement)
    if created_fts or missing_fts_trigger:
        # Rows may have been written while the triggers were missing (a remade table).
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608
    if statements:
        cursor.execute(f"UPDATE {STATE_TABLE} SET version = {_SQLITE_NEW_VERSION}")  # noqa: S608
    return bool(statements)


def _ensure_postgresql(cursor, tables: set[str], alias: str) -> bool:
    changed = False
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
    if cursor.fetchone() is None:
        changed = True
        _create_pg_config(cursor, alias)
    cursor.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
        [REC_TABLE, PG_COLUMN],
    )
    if cursor.fetchone() is None:
        changed = True
        cursor.execute(
            f"ALTER TABLE {REC_TABLE} ADD COLUMN {PG_COLUMN} tsvector GENERATED ALWAYS AS"
            f" (to_tsvector('{PG_CONFIG}'::regconfig, {PG_DOCUMENT})) STORED"
        )
    cursor.execute(
        "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s",
        [PG_INDEX],
    )
    if cursor.fetchone() is None:
        changed = True
        cursor.execute(f"CREATE INDEX {PG_INDEX} ON {REC_TABLE} USING gin ({PG_COLUMN})")
    cursor.execute(
        "CREATE OR REPLACE FUNCTION search_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$"  # noqa: S608
        f" BEGIN UPDATE {STATE_TABLE} SET version = {_PG_NEW_VERSION}; RETURN NULL; END $$"
    )
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
        " WHERE t.tgname = 'search_version' AND NOT t.tgisinternal"
    )
    has_trigger = {row[0] for row in cursor.fetchall()}
    for table in VERSIONED_TABLES:
        if table in tables and table not in has_trigger:
            changed = True
            # Statement-level: a 1,000,000-row COPY bumps the version once, not a million times.
            cursor.execute(
                f"CREATE TRIGGER search_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION search_bump_version()"
            )
    if changed:
        cursor.execute(f"UPDATE {STATE_TABLE} SET version = {_PG_NEW_VERSION}")  # noqa: S608
    return changed


def _create_pg_config(cursor, alias: str) -> None:
    """English stemming, with accents folded when ``unaccent`` is available.

    ``unaccent`` is a trusted contrib extension (a database owner may create it), but it is not
    installed everywhere; without it search still works, accent-sensitively.
    """
    cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)")
    try:
        with transaction.atomic(using=alias):  # a savepoint: failure must not end the migration
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(
                f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG}"
                " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
            )
    except DatabaseError:
        logger.warning("unaccent is not available: PostgreSQL search will be accent-sensitive")


def drop_structures(connection: BaseDatabaseWrapper | None = None) -> None:
    """Undo :func:`ensure_structures` (for migrating the search app backwards)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        tables = _existing_tables(cursor, connection.vendor)
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND (name LIKE 'search_fts_%' OR name LIKE 'search_v_%')"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        else:
            for table in VERSIONED_TABLES:
                if table in tables:
                    cursor.execute(f"DROP TRIGGER IF EXISTS search_version ON {table}")
            cursor.execute("DROP FUNCTION IF EXISTS search_bump_version()")
            cursor.execute(f"ALTER TABLE {REC_TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")


def mark_changed(connection: BaseDatabaseWrapper | None = None) -> None:
    """Tell every process that searchable data changed (for writers that bypass the triggers)."""
    connection = connection or default_connection
    new = _SQLITE_NEW_VERSION if connection.vendor == "sqlite" else _PG_NEW_VERSION
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {STATE_TABLE} SET version = {new}")  # noqa: S608
        if cursor.rowcount == 0:
            _ensure_state_row(cursor, connection.vendor)


def rebuild(connection: BaseDatabaseWrapper | None = None) -> None:
    """Re-derive the full-text index from the table (after raw bulk loads that skipped triggers).

    On PostgreSQL the generated column cannot drift, so only the version changes.
    """
    connection = connection or default_connection
    ensure_structures(connection)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")  # noqa: S608
    mark_changed(connection)


def current_version(connection: BaseDatabaseWrapper | None = None) -> int:
    """The data-version token: one primary-key read (re-creating the row if a flush removed it)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {STATE_TABLE} WHERE id = 1")  # noqa: S608
        row = cursor.fetchone()
        if row is None:
            _ensure_state_row(cursor, connection.vendor)
            cursor.execute(f"SELECT version FROM {STATE_TABLE} WHERE id = 1")  # noqa: S608
            row = cursor.fetchone()
    return int(row[0])
