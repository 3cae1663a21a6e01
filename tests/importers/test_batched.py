"""A long import on SQLite writes in batches that release the write lock, yet stays all or
nothing: a bad line, or a failure between batches, leaves the database exactly as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.importers.uprinfo import import_uprinfo
from uprhub.recommendations.models import (
    Label,
    Recommendation,
    RecommendingState,
    Source,
    Theme,
    Vocabulary,
)
from uprhub.reviews.models import Review, Session, State, StateAlias

pytestmark = [pytest.mark.django_db(transaction=True)]

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"
MODELS = (
    State,
    StateAlias,
    Session,
    Review,
    Vocabulary,
    Theme,
    Source,
    Recommendation,
    RecommendingState,
    Label,
)


@pytest.fixture(autouse=True)
def sqlite_only(db_vendor):
    if db_vendor != "sqlite":
        pytest.skip("the batched import is SQLite's (PostgreSQL imports in one transaction)")


@pytest.fixture
def small_batches(settings):
    settings.UPRHUB_IMPORT_BATCH_ROWS = 2


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def write_csv(path: Path, rows: int, *, last: str | None = None) -> Path:
    lines = [
        # A State nobody knows, a new session and a new issue: rows the lookups create.
        f"{'Atlantis' if i % 3 == 0 else 'Norway'},WEOG,,Recommendation number {i} on rights,"
        f"Chile,GRULAC,,Accepted,2,Brand new issue {i % 2},{30 + i % 2}\n"
        for i in range(rows)
    ]
    if last is not None:
        lines.append(last)
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_a_bad_last_line_leaves_nothing_behind(tmp_path, small_batches) -> None:
    load_reference_data()
    before = counts()
    path = write_csv(
        tmp_path / "u.csv",
        7,
        last="Norway,WEOG,,A last recommendation,Chile,GRULAC,,Maybe,,,30\n",
    )
    with pytest.raises(ImportFailed) as failure:
        import_uprinfo(path, between_batches=lambda: None)
    assert str(failure.value).startswith("u.csv, line 9: unknown Response 'Maybe'")
    assert counts() == before


def test_a_failure_between_batches_undoes_every_batch(tmp_path, small_batches) -> None:
    load_reference_data()
    before = counts()
    calls: list[int] = []

    def crash_on_the_third_batch() -> None:
        calls.append(Recommendation.objects.count())
        if len(calls) == 3:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError, match="disk is full"):
        import_uprinfo(write_csv(tmp_path / "u.csv", 7), between_batches=crash_on_the_third_batch)
    assert calls == [0, 2, 4]  # two batches were committed before the failure…
    assert counts() == before  # …and are gone, with the States, reviews, themes and Source


def test_another_connection_writes_between_batches(tmp_path, small_batches) -> None:
    load_reference_data()
    # A second connection that never waits: any lock held by the import makes it fail.
    other = sqlite3.connect(
        connection.settings_dict["NAME"], uri=True, timeout=0, isolation_level=None
    )
    other.execute("CREATE TABLE web_writes (n INTEGER)")
    written: list[int] = []

    def web_write() -> None:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO web_writes VALUES (?)", (len(written),))
        other.execute("COMMIT")
        written.append(len(written))

    summary = import_uprinfo(write_csv(tmp_path / "u.csv", 7), between_batches=web_write)
    assert summary.created == 7 and summary.unchanged == 0
    assert Recommendation.objects.count() == 7
    assert written == [0, 1, 2, 3, 4]  # 4 batches of at most 2, then the final step
    assert other.execute("SELECT COUNT(*) FROM web_writes").fetchone() == (5,)
    other.close()
    # Importing it again is a no-op, as before.
    again = import_uprinfo(tmp_path / "u.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
