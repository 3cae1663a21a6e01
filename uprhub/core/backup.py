"""Backups and restores: `uprhub backup PATH` and `uprhub restore PATH`.

A backup is one ``.tar.gz`` file (mode 0600: it holds members' personal data):

* ``manifest.json`` first: format version, UPR Hub version, creation time, database vendor,
  migration heads per app, row counts per table, size and SHA-256 of every other member;
* ``database/uprhub.sqlite3`` — a consistent online copy made with SQLite's backup API inside
  one read transaction, so the web server and the worker keep writing meanwhile (WAL) and the
  copy is the database as it was at one instant; or ``database/uprhub.pgdump`` — ``pg_dump
  --format=custom`` run on a snapshot exported from a REPEATABLE READ transaction, the same
  snapshot the row counts are read in;
* ``data/secret_key`` when the secret key comes from the data directory (not when it is set
  with UPRHUB_SECRET_KEY, nor with ``--without-secret-key``), ``data/similarity/`` (the
  semantic vectors, minutes to recompute), and ``media/`` when MEDIA_ROOT is configured.

A restore goes only into an empty database (and so a fresh data directory): it checks every
checksum before touching anything, refuses a backup made by a newer UPR Hub, loads the
database, checks the row counts against the manifest, puts the files back, then applies the
migrations the backup is missing. It never loads the bundled data: `uprhub restore` is not one
of the commands that prepare the database (uprhub/cli.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "uprhub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/uprhub.sqlite3"
PG_MEMBER = "database/uprhub.pgdump"
# Files of the data directory worth keeping, relative to it. Caches (exports), locks and the
# database itself are not listed on purpose.
DATA_FILES = ("secret_key", "similarity")
SQLITE_PAGES_PER_STEP = 4096
# Where the secret key is, as the manifest says: in the backup, in the environment (the operator
# keeps it), or left out on purpose (--without-secret-key).
KEY_INCLUDED, KEY_FROM_ENVIRONMENT, KEY_EXCLUDED = "included", "environment", "excluded"

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    created_at: str
    vendor: str
    uprhub_version: str
    migrations: dict[str, list[str]]
    tables: dict[str, int]
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    key_policy: str = KEY_EXCLUDED
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        body = {
            "format": self.format,
            "format_version": self.format_version,
            "uprhub_version": self.uprhub_version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor},
            "migration_heads": {app: names[-1] for app, names in self.migrations.items()},
            "migrations": self.migrations,
            "tables": self.tables,
            "secret_key": self.key_policy,
            "files": self.files,
        }
        return json.dumps(body, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            body = json.loads(raw)
            if body.get("format") != FORMAT:
                raise BackupError(_("This file is not a UPR Hub backup."))
            if body.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    _("Backup format %(version)s is not supported by this UPR Hub version.")
                    % {"version": body.get("format_version")}
                )
            return cls(
                created_at=body["created_at"],
                vendor=body["database"]["vendor"],
                uprhub_version=body["uprhub_version"],
                migrations={a: list(n) for a, n in body["migrations"].items()},
                tables={t: int(n) for t, n in body["tables"].items()},
                files=body["files"],
                key_policy=body.get("secret_key", KEY_EXCLUDED),
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(
                _("The backup's manifest is damaged (%(error)s).") % {"error": exc}
            ) from exc


# --------------------------------------------------------------------------------- helpers


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:,.0f} kB"
    return f"{size / 1_000_000:,.1f} MB"


def _data_files() -> Iterator[tuple[str, Path]]:
    """(name in the archive, path) of every file to keep beside the database."""
    data_dir = Path(settings.DATA_DIR)
    for name in DATA_FILES:
        path = data_dir / name
        if name == "secret_key":
            continue  # decided by the caller (it depends on where the key comes from)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                yield f"data/{file.relative_to(data_dir).as_posix()}", file
        elif path.is_file():
            yield f"data/{name}", path
    media = getattr(settings, "MEDIA_ROOT", "")
    if media and Path(media).is_dir():
        root = Path(media)
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            yield f"media/{file.relative_to(root).as_posix()}", file


def _secret_key_source() -> str:
    """ "datadir" when the running key is the one kept in the data directory, else
    "environment" (UPRHUB_SECRET_KEY; the operator keeps it, not the backup)."""
    path = Path(settings.DATA_DIR) / "secret_key"
    try:
        if path.read_text().strip() == settings.SECRET_KEY:
            return "datadir"
    except FileNotFoundError:
        pass
    return "environment"


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _pg_env() -> dict[str, str]:
    """libpq environment for pg_dump / pg_restore, from the Django database settings."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    pairs = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
    }
    options = db.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            pairs[f"PG{key.upper()}"] = str(options[key])
    env.update({k: str(v) for k, v in pairs.items() if v})
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client programs of your "
                "server's major version (Debian/Ubuntu: apt install postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _run_with_progress(command: list[str], env: dict[str, str], watch: Path, say: Say) -> None:
    """Run a PostgreSQL client program, saying every few seconds how far its file has grown."""
    process = subprocess.Popen(  # noqa: S603 - fixed program, arguments built here
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)
    reader.start()
    started = time.monotonic()
    while process.poll() is None:
        time.sleep(0.2)
        if time.monotonic() - started >= 5:
            started = time.monotonic()
            size = watch.stat().st_size if watch.exists() else 0
            say(_("  … %(size)s so far") % {"size": _megabytes(size)})
    reader.join()
    if process.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": "".join(errors).strip()}
        )


def _migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ------------------------------------------------------------------------------------ backup


def _backup_sqlite(target: Path, say: Say) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Copy the live SQLite database into ``target`` (consistent; writers are not blocked)."""
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(_("There is no database at %(path)s to back up.") % {"path": source_path})
    source = sqlite3.connect(source_path, isolation_level=None, timeout=20)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        # One read transaction around every step: the copy is the database at this instant,
        # and a write by the web server meanwhile neither blocks nor restarts the copy.
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        shown = [-1]

        def progress(_status: int, remaining: int, total: int) -> None:
            tenth = (total - remaining) * 10 // max(total, 1)
            if tenth != shown[0] and total > SQLITE_PAGES_PER_STEP:
                shown[0] = tenth
                say(_("  … %(percent)s%% copied") % {"percent": tenth * 10})

        source.backup(copy, pages=SQLITE_PAGES_PER_STEP, progress=progress)
        source.execute("COMMIT")
        # A single self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(_("The database copy failed its check: %(error)s") % {"error": check})
        cursor = copy.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {
            t: cursor.execute(f"SELECT count(*) FROM {_quote(t)}").fetchone()[0]  # noqa: S608
            for t in tables
        }
        migrations = _migrations(cursor) if "django_migrations" in counts else {}
        return migrations, counts
    finally:
        source.close()
        copy.close()


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [row[0] for row in cursor.fetchall()]


def _backup_postgres(target: Path, say: Say) -> tuple[dict[str, list[str]], dict[str, int]]:
    """pg_dump on an exported REPEATABLE READ snapshot; counts read in the same snapshot."""
    pg_dump = _pg_tool("pg_dump")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_tables(cursor)
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            migrations = _migrations(cursor) if "django_migrations" in counts else {}
            say(_("Dumping the database with pg_dump…"))
            _run_with_progress(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    f"--file={target}",
                ],
                _pg_env(),
                target,
                say,
            )
        finally:
            # The snapshot must stay open until pg_dump has finished with it.
            cursor.execute("ROLLBACK")
    return migrations, counts


def default_filename() -> str:
    return f"uprhub-backup-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(
    destination: Path | str, *, include_secret_key: bool = True, say: Say = print
) -> Path:
    """Write a backup to ``destination`` (a new file, or an existing directory to put one in).

    Returns the path of the backup file.
    """
    from uprhub import __version__

    destination = Path(destination).expanduser().resolve()
    if destination.is_dir():
        destination = destination / default_filename()
    if destination.exists():
        raise BackupError(
            _("%(path)s already exists; choose a new file name.") % {"path": destination}
        )
    if not destination.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": destination.parent})
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(v)s.") % {"v": vendor})

    # Work beside the destination (same disk, 0700), never in a shared /tmp: the copy holds
    # personal data.
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".uprhub-backup-") as work:
        work_dir = Path(work)
        if vendor == "sqlite":
            say(_("Copying the SQLite database…"))
            member = SQLITE_MEMBER
            db_file = work_dir / "db.sqlite3"
            migrations, counts = _backup_sqlite(db_file, say)
        else:
            member = PG_MEMBER
            db_file = work_dir / "db.pgdump"
            migrations, counts = _backup_postgres(db_file, say)
        say(
            _("  database: %(size)s, %(tables)s tables, %(rows)s rows")
            % {
                "size": _megabytes(db_file.stat().st_size),
                "tables": len(counts),
                "rows": f"{sum(counts.values()):,}",
            }
        )

        members: dict[str, Path] = {member: db_file}
        key_source = _secret_key_source()
        if key_source == "environment":
            key_policy = KEY_FROM_ENVIRONMENT
        elif include_secret_key:
            key_policy = KEY_INCLUDED
            members["data/secret_key"] = Path(settings.DATA_DIR) / "secret_key"
        else:
            key_policy = KEY_EXCLUDED
        members.update(dict(_data_files()))

        manifest = Manifest(
            created_at=timezone.now().isoformat(timespec="seconds"),
            vendor=vendor,
            uprhub_version=__version__,
            migrations=migrations,
            tables=counts,
            key_policy=key_policy,
        )
        for name, path in members.items():
            manifest.files[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}

        say(_("Writing %(path)s…") % {"path": destination})
        partial = destination.with_name(destination.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                body = manifest.to_json()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(body)
                info.mtime = int(time.time())
                info.mode = 0o600
                tar.addfile(info, _bytes_io(body))
                for name, path in members.items():
                    tar.add(path, arcname=name, recursive=False, filter=_private)
                raw.flush()
                os.fsync(raw.fileno())
            partial.rename(destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    say(
        _("Backup written: %(path)s (%(size)s).")
        % {"path": destination, "size": _megabytes(destination.stat().st_size)}
    )
    return destination


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Owner-only modes, no user or group names from this machine."""
    info.mode = 0o600
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _bytes_io(body: bytes) -> Any:
    import io

    return io.BytesIO(body)


# ----------------------------------------------------------------------------------- restore


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_and_verify(archive: Path, work_dir: Path, say: Say) -> tuple[Manifest, dict[str, Path]]:
    """Extract the backup into ``work_dir`` and check every file against the manifest."""
    try:
        tar = tarfile.open(archive, mode="r:*")  # noqa: SIM115 - closed below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(
            _("Cannot read %(path)s: %(error)s") % {"path": archive, "error": exc}
        ) from exc
    with tar:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isfile():
            raise BackupError(_("This file is not a UPR Hub backup (no manifest first)."))
        manifest = Manifest.from_json(tar.extractfile(first).read())  # type: ignore[union-attr]
        extracted: dict[str, Path] = {}
        say(_("Checking the backup's files…"))
        for info in tar:
            if info is first:
                continue
            if info.name not in manifest.files or not info.isfile():
                raise BackupError(
                    _("Unexpected entry %(name)s in the backup: refusing it.") % {"name": info.name}
                )
            if not _safe_member_name(info.name):
                raise BackupError(
                    _("Unsafe file name %(name)s in the backup.") % {"name": info.name}
                )
            target = work_dir / f"{len(extracted):05d}"
            digest = hashlib.sha256()
            with tar.extractfile(info) as source, target.open("wb") as out:  # type: ignore[union-attr]
                for block in iter(lambda: source.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
            expected = manifest.files[info.name]
            if digest.hexdigest() != expected["sha256"] or info.size != expected["size"]:
                raise BackupError(
                    _("%(name)s is damaged (its checksum does not match the manifest).")
                    % {"name": info.name}
                )
            extracted[info.name] = target
    missing = sorted(set(manifest.files) - set(extracted))
    if missing:
        raise BackupError(
            _("The backup is incomplete: %(names)s missing.") % {"names": ", ".join(missing)}
        )
    return manifest, extracted


def _check_migrations(manifest: Manifest) -> bool:
    """Refuse a backup from a newer UPR Hub; return True if migrations must run after it."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known and app in loader.migrated_apps
    ]
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer UPR Hub (%(version)s; unknown migrations: "
                "%(names)s). Upgrade UPR Hub first, then restore."
            )
            % {"version": manifest.uprhub_version, "names": ", ".join(unknown[:5])}
        )
    applied = {(app, name) for app, names in manifest.migrations.items() for name in names}
    return any(node not in applied for node in loader.graph.leaf_nodes())


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def _current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            tables = [row[0] for row in cursor.fetchall()]
        else:
            tables = _pg_tables(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _target_is_empty() -> bool:
    """Is the configured database empty (no tables)? Raises unless ``force`` allows it."""
    if connection.vendor == "sqlite":
        connections.close_all()
        return _sqlite_is_empty(_sqlite_path())
    with connection.cursor() as cursor:
        return not _pg_tables(cursor)


def _refuse_non_empty() -> None:
    if connection.vendor == "sqlite":
        message = _(
            "The database %(name)s is not empty. Restore into a new data directory "
            "(UPRHUB_DATA_DIR) or an empty database, or use --force to replace it (a copy of "
            "it is kept beside it)."
        )
        name = _sqlite_path()
    else:
        message = _(
            "The database %(name)s is not empty. Restore into a new, empty database "
            "(createdb), or use --force to replace its UPR Hub tables."
        )
        name = settings.DATABASES["default"]["NAME"]
    raise BackupError(message % {"name": name})


def _restore_sqlite(dump: Path, *, force: bool, say: Say) -> None:
    target = _sqlite_path()
    connections.close_all()
    if not _sqlite_is_empty(target):
        if not force:
            _refuse_non_empty()
        aside = target.with_name(f"{target.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}")
        say(_("Keeping the current database as %(path)s") % {"path": aside})
        _backup_sqlite(aside, lambda _msg: None)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        contextlib.closing(sqlite3.connect(dump)) as source,
        contextlib.closing(sqlite3.connect(target, isolation_level=None, timeout=20)) as db,
    ):
        source.backup(db, pages=SQLITE_PAGES_PER_STEP)
        db.execute("PRAGMA journal_mode=WAL")
    with contextlib.suppress(OSError):
        target.chmod(0o600)


def _restore_postgres(dump: Path, *, force: bool, say: Say) -> None:
    pg_restore = _pg_tool("pg_restore")
    with connection.cursor() as cursor:
        existing = _pg_tables(cursor)
    connections.close_all()
    if existing and not force:
        _refuse_non_empty()
    command = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
        f"--dbname={settings.DATABASES['default']['NAME']}",
    ]
    if existing:
        command += ["--clean", "--if-exists"]
    say(_("Restoring the database with pg_restore…"))
    _run_with_progress([*command, str(dump)], _pg_env(), dump, lambda _msg: None)


def _restore_files(files: dict[str, Path], *, key_policy: str, force: bool, say: Say) -> None:
    data_dir = Path(settings.DATA_DIR)
    media = getattr(settings, "MEDIA_ROOT", "")
    for name, extracted in files.items():
        if name.startswith("database/"):
            continue
        if name == "data/secret_key":
            if _secret_key_source() == "environment":
                say(
                    _(
                        "The backup holds a secret key, but this server takes its key from "
                        "UPRHUB_SECRET_KEY: not written. Sessions and links signed by the old "
                        "key stop working unless you set UPRHUB_SECRET_KEY to it."
                    )
                )
                continue
            # The key in a fresh data directory was generated moments ago by this very
            # command: replacing it loses nothing.
            target = data_dir / "secret_key"
        elif name.startswith("data/"):
            target = data_dir / name.removeprefix("data/")
        elif name.startswith("media/") and media:
            target = Path(media) / name.removeprefix("media/")
        else:
            say(_("Skipped %(name)s (no MEDIA_ROOT configured).") % {"name": name})
            continue
        if target.exists() and name != "data/secret_key" and not force:
            say(_("Kept the existing %(path)s") % {"path": target})
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".restoring")
        shutil.copyfile(extracted, tmp)
        tmp.chmod(0o600)
        tmp.replace(target)
    if key_policy == KEY_EXCLUDED:
        say(
            _(
                "This backup was made without the secret key: set UPRHUB_SECRET_KEY to the key "
                "you kept apart, or signed links sent before (unsubscribe, password reset) "
                "stop working."
            )
        )


def restore_backup(archive: Path | str, *, force: bool = False, say: Say = print) -> Manifest:
    """Restore a backup into the configured (empty) database and data directory."""
    archive = Path(archive).expanduser().resolve()
    if not archive.is_file():
        raise BackupError(_("No backup file at %(path)s.") % {"path": archive})
    if not force and not _target_is_empty():
        _refuse_non_empty()  # before reading a possibly large archive
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=".restore-") as work:
        manifest, files = read_and_verify(archive, Path(work), say)
        vendor = connection.vendor
        if manifest.vendor != vendor:
            raise BackupError(
                _(
                    "This is a backup of a %(theirs)s database; the configured database is "
                    "%(ours)s. Restore it into a %(theirs)s database."
                )
                % {"theirs": manifest.vendor, "ours": vendor}
            )
        needs_migrate = _check_migrations(manifest)
        say(
            _("Backup of %(created)s (UPR Hub %(version)s, %(rows)s rows): checksums verified.")
            % {
                "created": manifest.created_at,
                "version": manifest.uprhub_version,
                "rows": f"{sum(manifest.tables.values()):,}",
            }
        )
        dump = files[SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER]
        if vendor == "sqlite":
            say(_("Restoring the SQLite database…"))
            _restore_sqlite(dump, force=force, say=say)
        else:
            _restore_postgres(dump, force=force, say=say)

        restored = _current_counts()
        wrong = sorted(t for t, n in manifest.tables.items() if restored.get(t) != n)
        if wrong:
            raise BackupError(
                _("The restored database differs from the backup in: %(tables)s")
                % {"tables": ", ".join(wrong)}
            )
        _restore_files(files, key_policy=manifest.key_policy, force=force, say=say)

    if needs_migrate:
        from django.core.management import call_command

        say(_("The backup is older than this UPR Hub: applying migrations…"))
        call_command("migrate", interactive=False, verbosity=0)
    say(_("Restore complete: %(n)s tables checked.") % {"n": len(manifest.tables)})
    return manifest
