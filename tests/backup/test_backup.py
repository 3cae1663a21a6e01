"""`uprhub backup` / `uprhub restore`, through the real console script in fresh processes.

Each test builds its own data directories (and, on PostgreSQL, its own databases), fills a
source with a bit of everything (tests/backup/populate.py), backs it up and restores it
elsewhere, then compares every table row by row.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import require_server

ROOT = Path(__file__).resolve().parents[2]


def env_for(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.update(
        UPRHUB_DATA_DIR=str(data_dir),
        UPRHUB_TASKS_BACKEND="immediate",
        UPRHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="uprhub.settings",
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def uprhub(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "uprhub.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def populate(env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.backup.populate"],
        cwd=ROOT,
        env={**env, "UPRHUB_AUTOLOAD": "0"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        assert tar.getnames()[0] == "manifest.json"
        return json.loads(tar.extractfile("manifest.json").read())


def sqlite_tables(path: Path) -> dict[str, list]:
    """Every table's rows (sorted), plus the schema (tables, indexes, triggers)."""
    with sqlite3.connect(path) as db:
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        content = {
            n: sorted(db.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names
        }
        content["<schema>"] = sorted(
            db.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=repr
        )
    return content


# ------------------------------------------------------------------------------- SQLite


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory) -> tuple[Path, Path, str]:
    """A populated SQLite data directory and its backup (made by `uprhub backup FOLDER`)."""
    root = tmp_path_factory.mktemp("backup")
    source = root / "source"
    populate(env_for(source))
    out = root / "backups"
    out.mkdir()
    made = uprhub("backup", str(out), env=env_for(source))
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.strip())
    assert archive.parent == out and archive.name.startswith("uprhub-backup-")
    return source, archive, made.stderr


def test_sqlite_backup_restores_every_table_row_by_row(sqlite_backup, tmp_path):
    source, archive, progress = sqlite_backup
    assert "Copying the SQLite database" in progress
    assert archive.stat().st_mode & 0o777 == 0o600  # personal data: owner only
    manifest = manifest_of(archive)
    assert manifest["format_version"] == 1
    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["secret_key"] == "included"
    assert manifest["migration_heads"]["mailinglists"] == "0002_default_lists"
    assert set(manifest["files"]) == {"database/uprhub.sqlite3", "data/secret_key"}
    before = sqlite_tables(source / "uprhub.sqlite3")
    assert manifest["tables"]["recommendations_recommendation"] == len(
        before["recommendations_recommendation"]
    )
    assert len(before["reports_comment"]) == 1 and len(before["mailinglists_subscription"]) == 5

    # A fresh data directory, with the bundled-data autoload left on (its default): restore
    # must load the backup, not the bundled data.
    target = tmp_path / "restored"
    restored = uprhub("restore", str(archive), env=env_for(target))
    assert restored.returncode == 0, restored.stderr
    assert "checksums verified" in restored.stderr
    assert "applying migrations" not in restored.stderr

    after = sqlite_tables(target / "uprhub.sqlite3")
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()


def test_restore_refuses_a_database_that_is_not_empty(sqlite_backup, tmp_path):
    _source, archive, _progress = sqlite_backup
    target = tmp_path / "restored"
    assert uprhub("restore", str(archive), env=env_for(target)).returncode == 0
    content = sqlite_tables(target / "uprhub.sqlite3")
    again = uprhub("restore", str(archive), env=env_for(target))
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "--force" in again.stderr
    assert sqlite_tables(target / "uprhub.sqlite3") == content


def test_a_damaged_backup_is_refused_before_anything_is_written(sqlite_backup, tmp_path):
    _source, archive, _progress = sqlite_backup
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as old, tarfile.open(damaged, "w:gz") as new:
        for info in old.getmembers():
            data = old.extractfile(info).read()
            if info.name == "database/uprhub.sqlite3":
                data = data[:-1] + bytes([data[-1] ^ 1])  # one bit flipped
            new.addfile(info, io.BytesIO(data))
    target = tmp_path / "restored"
    result = uprhub("restore", str(damaged), env=env_for(target))
    assert result.returncode == 1
    assert "database/uprhub.sqlite3 is damaged" in result.stderr
    db = target / "uprhub.sqlite3"
    assert not db.exists() or sqlite_tables(db) == {"<schema>": []}


def test_backup_is_consistent_while_the_app_writes(sqlite_backup, tmp_path):
    """The copy is made while another connection keeps writing (the web server, the worker):
    the backup neither waits for it nor blocks it, and it is the database at one instant."""
    source, _archive, _progress = sqlite_backup
    live = tmp_path / "live"
    live.mkdir()
    (live / "uprhub.sqlite3").write_bytes((source / "uprhub.sqlite3").read_bytes())
    (live / "secret_key").write_text((source / "secret_key").read_text())
    stop = threading.Event()
    writes: list[float] = []

    def writer() -> None:
        with sqlite3.connect(live / "uprhub.sqlite3", isolation_level=None, timeout=20) as db:
            while not stop.is_set():
                db.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date)"
                    " VALUES (?, 'x', '2030-01-01 00:00:00')",
                    (uuid.uuid4().hex,),
                )
                writes.append(time.monotonic())
                time.sleep(0.002)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        made = uprhub("backup", str(tmp_path / "live.tar.gz"), env=env_for(live))
        during = len(writes)
    finally:
        stop.set()
        thread.join()
    assert made.returncode == 0, made.stderr
    assert during > 0
    restored_dir = tmp_path / "restored"
    restored = uprhub("restore", str(tmp_path / "live.tar.gz"), env=env_for(restored_dir))
    assert restored.returncode == 0, restored.stderr
    manifest = manifest_of(tmp_path / "live.tar.gz")
    with sqlite3.connect(restored_dir / "uprhub.sqlite3") as db:
        sessions = db.execute("SELECT count(*) FROM django_session").fetchone()[0]
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sessions == manifest["tables"]["django_session"]
    assert 0 < sessions <= len(writes)


def test_an_older_backup_is_migrated_after_restore(tmp_path):
    source = tmp_path / "source"
    assert uprhub("manage", "migrate", "-v0", env=env_for(source)).returncode == 0
    rolled = uprhub("manage", "migrate", "mailinglists", "0001", "-v0", env=env_for(source))
    assert rolled.returncode == 0, rolled.stderr
    made = uprhub("backup", str(tmp_path / "old.tar.gz"), env=env_for(source))
    assert made.returncode == 0, made.stderr
    assert manifest_of(tmp_path / "old.tar.gz")["migration_heads"]["mailinglists"] == "0001_initial"

    target = tmp_path / "restored"
    restored = uprhub(
        "restore", str(tmp_path / "old.tar.gz"), env=env_for(target, UPRHUB_AUTOLOAD="0")
    )
    assert restored.returncode == 0, restored.stderr
    assert "applying migrations" in restored.stderr
    with sqlite3.connect(target / "uprhub.sqlite3") as db:
        applied = {
            name
            for (name,) in db.execute(
                "SELECT name FROM django_migrations WHERE app = 'mailinglists'"
            )
        }
    assert applied == {"0001_initial", "0002_default_lists"}


def test_backup_refuses_to_overwrite_and_says_why(tmp_path):
    from django.core.management import CommandError, call_command

    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"an earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(existing))
    assert existing.read_bytes() == b"an earlier backup"
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "no-such-folder" / "x.tar.gz"))
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


# --------------------------------------------------------------------------- PostgreSQL


def _pg_url(name: str) -> str:
    url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return url._replace(path=f"/{name}").geturl()


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def _pg_content(url: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        content = {
            t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
        }
        content["<sequences>"] = sorted(
            conn.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall(), key=repr
        )
    return content


@pytest.mark.postgres_only
def test_postgres_backup_restores_every_table_row_by_row(tmp_path):
    url = urlparse(os.environ.get("DATABASE_URL", "postgres://127.0.0.1:5432"))
    require_server("PostgreSQL", url.hostname or "127.0.0.1", url.port or 5432)
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    source_db, target_db = f"data_backup_src_{suffix}", f"data_backup_dst_{suffix}"
    _pg_admin(f'CREATE DATABASE "{source_db}"')
    _pg_admin(f'CREATE DATABASE "{target_db}"')
    try:
        source_env = env_for(tmp_path / "source", _pg_url(source_db))
        populate(source_env)
        made = uprhub("backup", str(tmp_path / "pg.tar.gz"), env=source_env)
        assert made.returncode == 0, made.stderr
        assert "pg_dump" in made.stderr
        manifest = manifest_of(tmp_path / "pg.tar.gz")
        assert manifest["database"]["vendor"] == "postgresql"
        assert "database/uprhub.pgdump" in manifest["files"]

        target_env = env_for(tmp_path / "target", _pg_url(target_db))
        restored = uprhub("restore", str(tmp_path / "pg.tar.gz"), env=target_env)
        assert restored.returncode == 0, restored.stderr
        before, after = _pg_content(_pg_url(source_db)), _pg_content(_pg_url(target_db))
        assert after.keys() == before.keys()
        for table in before:
            assert after[table] == before[table], table
        assert manifest["tables"]["reports_comment"] == len(after["reports_comment"]) == 1

        again = uprhub("restore", str(tmp_path / "pg.tar.gz"), env=target_env)
        assert again.returncode == 1 and "is not empty" in again.stderr
    finally:
        for name in (source_db, target_db):
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
