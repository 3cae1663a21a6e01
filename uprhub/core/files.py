"""Owner-only permissions for the files that hold the coalition's data."""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path
from typing import Any

PRIVATE_FILE = 0o600
#: SQLite's database file and the write-ahead log and shared-memory files beside it.
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """chmod 0600 if the file exists and is readable by anyone but its owner."""
    with contextlib.suppress(FileNotFoundError):
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & 0o700 or PRIVATE_FILE)


def make_sqlite_files_private(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On every new SQLite connection: the database file (and -wal, -shm) owner-only.

    SQLite creates the file with the process's umask (usually 0644) and gives the -wal and
    -shm files it creates later the database file's mode, so tightening the database file
    right after the first connection keeps all of them private. A few stat() calls per
    connection; nothing for PostgreSQL, in-memory or URI databases.
    """
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return
    for suffix in SQLITE_SUFFIXES:
        make_private(Path(name + suffix))
