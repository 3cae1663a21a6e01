"""A batched SQLite import stays all or nothing even when its process is killed half-way.

Each batch commits with its record in the import journal; a process killed mid-import leaves
its journal ``running``, and the next `uprhub` command (or import) deletes what it recorded.
A journal whose process is still alive is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import using_postgres
from tests.importers.test_batched import HEADER, counts, write_csv
from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.journal import process_started, recover_unfinished_imports
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.importers.uprinfo import import_uprinfo
from uprhub.recommendations.models import ImportJournal, ImportJournalBatch, Theme, Vocabulary

pytestmark = [
    pytest.mark.skipif(
        using_postgres(),
        reason="the journal is the batched SQLite import's; PostgreSQL imports in one transaction",
    ),
]

UPRHUB = shutil.which("uprhub", path=str(Path(sys.executable).parent))
# Every table an import writes, as the subprocess test counts them with sqlite3.
TABLES = (
    "reviews_state",
    "reviews_statealias",
    "reviews_cycle",
    "reviews_session",
    "reviews_review",
    "recommendations_source",
    "recommendations_vocabulary",
    "recommendations_theme",
    "recommendations_recommendation",
    "recommendations_recommendingstate",
    "recommendations_label",
)


# --- a real import, SIGKILLed after its first batch ------------------------------------------


def _table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


def _journal(db: Path) -> list[tuple[str, int]]:
    """(status, number of batches) of each journal, oldest first."""
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT j.status, COUNT(b.id) FROM recommendations_importjournal j "
            "LEFT JOIN recommendations_importjournalbatch b ON b.journal_id = j.id "
            "GROUP BY j.id ORDER BY j.id"
        ).fetchall()


def _recommendation_batches(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=0.1) as con:
            return con.execute(
                "SELECT COUNT(*) FROM recommendations_importjournalbatch "
                "WHERE model = 'recommendations.Recommendation'"
            ).fetchone()[0]
    except sqlite3.OperationalError:  # not migrated yet, or busy for a moment
        return 0


@pytest.mark.slow  # real processes: about 15 s
@pytest.mark.skipif(UPRHUB is None, reason="the uprhub script is not installed (pip install -e .)")
def test_an_import_killed_after_a_batch_is_undone_by_the_next_command(tmp_path) -> None:
    assert UPRHUB is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(UPRHUB_DATA_DIR=str(tmp_path / "data"), UPRHUB_AUTOLOAD="false")
    env["UPRHUB_IMPORT_BATCH_ROWS"] = "5"
    db = tmp_path / "data" / "uprhub.sqlite3"

    def uprhub(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [UPRHUB, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done

    # A first small import sets the database up (schema, reference data): the "before".
    small = tmp_path / "small.csv"
    small.write_text(
        HEADER + "Norway,WEOG,,Ratify the convention,Chile,GRULAC,,Accepted,2,Rights,30\n",
        encoding="utf-8",
    )
    uprhub("import", "uprinfo", str(small))
    before = _table_counts(db)
    assert before["recommendations_recommendation"] == 1
    assert _journal(db) == [("finished", 0)]

    # 200 rows in batches of 5, with new States, sessions and themes: kill it mid-way.
    big = write_csv(tmp_path / "big.csv", 200)
    importer = subprocess.Popen(
        [UPRHUB, "import", "uprinfo", str(big)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while _recommendation_batches(db) < 2 and importer.poll() is None:
            assert time.monotonic() < deadline, "the import wrote no batch in two minutes"
            time.sleep(0.01)
        importer.send_signal(signal.SIGKILL)
    finally:
        importer.wait(timeout=30)
    assert importer.returncode == -signal.SIGKILL, "the import finished before it was killed"

    # The crash left rows behind, recorded in a journal that says "running".
    left = _table_counts(db)
    assert left["recommendations_recommendation"] >= 1 + 2 * 5
    assert left["reviews_state"] > before["reviews_state"]  # "Atlantis", from the lookups
    assert left["recommendations_source"] == before["recommendations_source"] + 1
    [(status, batches)] = _journal(db)[1:]
    assert status == "running" and batches >= 2

    # Any command that prepares the database (here a search) undoes it, and says so.
    search = uprhub("search", "rights", "--format", "json")
    assert "Undid the interrupted import of big.csv" in search.stderr
    assert _table_counts(db) == before
    assert _journal(db) == [("finished", 0), ("undone", 0)]

    # The same import, run again, completes normally.
    uprhub("import", "uprinfo", str(big))
    assert _table_counts(db)["recommendations_recommendation"] == 1 + 200
    assert _journal(db)[-1] == ("finished", 0)


# --- recovery in-process: whose journals are undone ----------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])  # noqa: S607
    child.wait()
    return child.pid


def _orphan_theme(name: str, **journal) -> tuple[ImportJournal, int]:
    """A theme written by an "import" whose journal says ``journal`` and is still running."""
    vocabulary, _ = Vocabulary.objects.get_or_create(slug="test", defaults={"name": "Test"})
    theme = Theme.objects.create(vocabulary=vocabulary, name=name)
    now = timezone.now()
    fields = {
        "source_kind": "uprinfo",
        "source_name": f"{name}.csv",
        "started_at": now,
        "updated_at": now,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "pid_started": process_started(os.getpid()),
        **journal,
    }
    entry = ImportJournal.objects.create(**fields)
    ImportJournalBatch.objects.create(journal=entry, model="recommendations.Theme", ids=[theme.pk])
    return entry, theme.pk


@pytest.mark.django_db(transaction=True)
def test_only_journals_of_processes_that_are_gone_are_undone() -> None:
    an_hour_ago = timezone.now() - timedelta(hours=2)
    live_child = subprocess.Popen(["sleep", "60"])  # noqa: S607
    try:
        alive = {
            "this process": _orphan_theme("this process"),
            "a live child": _orphan_theme(
                "a live child", pid=live_child.pid, pid_started=process_started(live_child.pid)
            ),
            "another host, recent": _orphan_theme("another host, recent", host="elsewhere"),
        }
        gone = {
            "a dead process": _orphan_theme("a dead process", pid=_dead_pid()),
            "a reused pid": _orphan_theme(
                "a reused pid", pid=live_child.pid, pid_started=process_started(os.getpid())
            ),
            "another host, silent for 2 h": _orphan_theme(
                "another host, silent for 2 h", host="elsewhere", updated_at=an_hour_ago
            ),
        }
        recovered = recover_unfinished_imports()
        again = recover_unfinished_imports()  # nothing left to do while the child lives
    finally:
        live_child.kill()
        live_child.wait()
    assert sorted(j.source_name for j in recovered) == sorted(f"{n}.csv" for n in gone)
    for name, (entry, theme) in alive.items():
        entry.refresh_from_db()
        assert entry.status == "running", name
        assert Theme.objects.filter(pk=theme).exists(), name
        assert entry.batches.count() == 1, name
    for name, (entry, theme) in gone.items():
        entry.refresh_from_db()
        assert entry.status == "undone", name
        assert not Theme.objects.filter(pk=theme).exists(), name
        assert entry.batches.count() == 0, name
    assert again == []


# --- the journal of an import that ends, well or not ---------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_successful_import_leaves_a_finished_journal_and_no_batches(tmp_path, settings) -> None:
    settings.UPRHUB_IMPORT_BATCH_ROWS = 2
    load_reference_data()
    summary = import_uprinfo(write_csv(tmp_path / "u.csv", 7))
    assert summary.created == 7
    assert list(ImportJournal.objects.values_list("source_name", "status")) == [
        ("u.csv", "finished")
    ]
    assert ImportJournalBatch.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_import_is_undone_and_its_journal_says_so(tmp_path, settings) -> None:
    settings.UPRHUB_IMPORT_BATCH_ROWS = 2
    load_reference_data()
    before = counts()
    seen: list[int] = []

    def interrupted_after_two_batches() -> None:
        seen.append(
            ImportJournalBatch.objects.filter(model="recommendations.Recommendation").count()
        )
        if len(seen) == 3:
            raise KeyboardInterrupt  # Ctrl+C: handled, the import undoes itself

    with pytest.raises(KeyboardInterrupt):
        import_uprinfo(
            write_csv(tmp_path / "u.csv", 7), between_batches=interrupted_after_two_batches
        )
    assert seen == [0, 1, 2]  # each committed batch was in the journal at once
    assert counts() == before
    assert list(ImportJournal.objects.values_list("status", flat=True)) == ["undone"]
    assert ImportJournalBatch.objects.count() == 0

    path = write_csv(tmp_path / "v.csv", 3, last="Norway,WEOG,,Last,Chile,GRULAC,,Maybe,,,30\n")
    with pytest.raises(ImportFailed):
        import_uprinfo(path)
    assert counts() == before
    assert list(ImportJournal.objects.values_list("status", flat=True)) == ["undone", "undone"]
