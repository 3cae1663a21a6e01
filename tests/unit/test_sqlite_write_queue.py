"""SQLite's write transactions queue per process (uprhub/core/db/sqlite3): the queue is taken
at BEGIN and given back at commit, rollback, close or a failed BEGIN, and a second writer waits
in it and then writes."""

from __future__ import annotations

import threading
import time

import pytest
from django.db.utils import ConnectionHandler

from uprhub.core.db.sqlite3 import base


@pytest.fixture
def make_connection(tmp_path, django_db_blocker):
    # A file of its own, not the test database: pytest-django is told this is on purpose.
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "uprhub.core.db.sqlite3",
                "NAME": str(tmp_path / "queue.sqlite3"),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL;",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 5,
                },
            }
        }
    )
    made = []

    def make():
        connection = handler.create_connection("default")
        made.append(connection)
        return connection

    with django_db_blocker.unblock():
        first = make()
        with first.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
        yield make
        for connection in made:
            connection.close()


def begin(connection) -> None:
    # What transaction.atomic() does for the outermost block on SQLite.
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(connection, how: str) -> None:
    if how == "close":
        connection.close()
        return
    getattr(connection, how)()
    connection.set_autocommit(True)


def test_the_backend_is_sqlite_with_the_queue():
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "uprhub.core.db.sqlite3":
        pytest.skip("PostgreSQL run")
    from django.db import connection, connections

    assert connection.vendor == "sqlite"
    assert isinstance(connections["default"], base.DatabaseWrapper)


@pytest.mark.parametrize("how", ["commit", "rollback", "close"])
def test_queue_taken_at_begin_and_given_back(make_connection, how):
    connection = make_connection()
    assert not base._writers.locked()
    begin(connection)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO t (v) VALUES ('x')")
    assert base._writers.locked()
    end(connection, how)
    assert not base._writers.locked()


def test_failed_begin_gives_the_queue_back(make_connection):
    connection = make_connection()
    connection.ensure_connection()
    connection.transaction_mode = "NONSENSE"  # BEGIN NONSENSE: a syntax error
    with pytest.raises(Exception, match="syntax"):
        begin(connection)
    assert not base._writers.locked()


def test_second_writer_waits_its_turn_then_writes(make_connection):
    first, second = make_connection(), make_connection()
    events: list[str] = []
    started = threading.Event()

    def other_writer() -> None:
        started.set()
        begin(second)
        events.append("second began")
        with second.cursor() as cursor:
            cursor.execute("INSERT INTO t (v) VALUES ('second')")
        end(second, "commit")
        second.close()  # from its own thread

    begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t (v) VALUES ('first')")
    thread = threading.Thread(target=other_writer)
    # Django connections belong to the thread that made them: hand this one over.
    second.inc_thread_sharing()
    thread.start()
    started.wait()
    time.sleep(0.2)
    assert events == []  # waiting in the queue, not failing with "database is locked"
    events.append("first commits")
    end(first, "commit")
    thread.join(10)
    second.dec_thread_sharing()
    assert events == ["first commits", "second began"]
    with first.cursor() as cursor:
        cursor.execute("SELECT v FROM t ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
