"""Starting Django for a benchmark: a fresh SQLite file in `workdir` (or the PostgreSQL
database at `database_url`), migrated, with the data directory in `workdir` and no autoload.
Shared by the benchmarks that measure over the bundled data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_django(workdir: Path, database_url: str, sqlite_name: str) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        path = workdir / sqlite_name
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)  # a fresh database every run
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["UPRHUB_AUTOLOAD"] = "0"
    os.environ["UPRHUB_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_bundled() -> None:
    from uprhub.recommendations.importers.bundled import is_loaded, load_bundled_data

    if not is_loaded():
        load_bundled_data()
