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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty public-page cache (see uprhub/core/pagecache.py).

    Its keys carry the data version, but a test can change settings or roll back to an earlier
    version; a page cached by the previous test must not answer for this one.
    """
    from django.core.cache import caches

    caches["pages"].clear()
    yield
