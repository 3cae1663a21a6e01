"""Test set-up shared by every test: database choice and the servers the suite needs.

The suite runs twice in CI: on SQLite, then with DATABASE_URL pointing at PostgreSQL.
A PostgreSQL run on a machine without the server is skipped with a reason, except under CI,
where it must fail.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

IN_CI = bool(os.environ.get("CI"))


def using_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def server_reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_server(name: str, host: str, port: int) -> None:
    """Skip (laptop) or fail (CI) when a server the test needs is not listening."""
    if server_reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if IN_CI:
        pytest.fail(f"{message} (CI is set, so this test must run)", pytrace=False)
    pytest.skip(f"{message}; start it to run this test")


def pytest_sessionstart(session: pytest.Session) -> None:
    if using_postgres():
        url = urlparse(os.environ["DATABASE_URL"])
        host, port = url.hostname or "127.0.0.1", url.port or 5432
        if not server_reachable(host, port):
            message = f"PostgreSQL is not reachable on {host}:{port}"
            if IN_CI:
                raise pytest.UsageError(f"{message} and CI is set: the PostgreSQL run must happen.")
            session.config._uprhub_pg_missing = message  # type: ignore[attr-defined]


# The slowest tests (measured with --durations on the parallel run: seconds each, or a module
# adding up to minutes), marked here in one place so `pytest -m "not slow"` gives a quick pass.
# Node-id prefixes; a test may also carry @pytest.mark.slow itself. CI runs them all.
SLOW = (
    "tests/browser/",  # Chromium
    "tests/cli/test_console_script.py",  # real processes on a fresh data directory (~2 min)
    "tests/importers/test_bundled.py::test_load_bundled_data_twice",
    "tests/importers/test_commands.py::test_exit_status_and_stderr_of_a_real_process",
    "tests/importers/test_corpus.py",  # every malformed file against the reference data
    "tests/importers/test_thematic_docx.py::test_slovenia_fourth_cycle",
    "tests/importers/test_uprinfo.py::test_bundled_file_is_merged_and_reimport_changes_nothing",
    "tests/importers/test_uprinfo.py::test_newer_file_updates_in_place",
    "tests/reports_export/test_cli.py::test_exit_statuses",
    "tests/reports_export/test_pdf.py::test_pdf_words_match_the_validator",
    "tests/reports/test_permission_grid.py::test_grid",  # about 10 minutes of CPU in all
    "tests/reports/test_views.py::test_export_zip_package",
    "tests/accounts/test_permission_grid.py::test_grid",
    "tests/mailinglists/test_permission_grid.py::test_grid",
    "tests/calendar/test_ical.py::test_whole_calendar_feed_with_the_bundled_data",
    "tests/search/test_semantic.py::test_model_files_are_the_pinned_ones_and_load_offline",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    slow = pytest.mark.slow
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(slow)
    missing = getattr(config, "_uprhub_pg_missing", None)
    if missing:
        skip = pytest.mark.skip(reason=f"{missing}; the PostgreSQL run is skipped")
        for item in items:
            item.add_marker(skip)
    elif not using_postgres():
        skip_pg = pytest.mark.skip(
            reason="PostgreSQL-only test; run with DATABASE_URL=postgres://…"
        )
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def db_vendor() -> str:
    return "postgresql" if using_postgres() else "sqlite"


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in another language leaves it active in the thread: reset it after each test."""
    yield
    from django.utils import translation

    translation.activate("en")


def _clear_caches(with_database: bool) -> None:
    from django.core.cache import caches

    caches["default"].clear()
    if with_database:  # the "ratelimit" cache is a database table unless Redis is set
        caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits(request):
    """Every test starts with no rate-limit counters (and an empty default cache).

    The counters live in the "ratelimit" cache, a database table: inside a test transaction
    they roll back anyway, but transactional and live-server tests (whose flush does not
    empty cache tables) need the clearing.
    """
    with_database = bool(request.node.get_closest_marker("django_db"))
    names = set(request.fixturenames)
    if not with_database and names & {"transactional_db", "live_server", "db"}:
        # Set the database up before clearing its table (live servers need the
        # transactional one).
        transactional = bool(names & {"transactional_db", "live_server"})
        request.getfixturevalue("transactional_db" if transactional else "db")
        with_database = True
    _clear_caches(with_database)
    yield
    _clear_caches(with_database)


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty public-page cache (see uprhub/core/pagecache.py).

    Its keys carry the data version, but a test can change settings or roll back to an earlier
    version; a page cached by the previous test must not answer for this one.
    """
    from django.core.cache import caches

    caches["pages"].clear()
    yield


@pytest.fixture(autouse=True)
def _exports_built_in_thread(settings):
    """Big exports are built in a child process outside the tests; a child cannot see a test's
    uncommitted transaction, so here they are built in the request's thread
    (tests/web/test_export_build_process.py runs the child-process path in a real server)."""
    settings.UPRHUB_EXPORT_BUILDER = "thread"
