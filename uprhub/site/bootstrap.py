"""Prepare the database on first use: apply migrations, then load the bundled data.

`uprhub serve`, `uprhub search` and every other command that reads the database call
`prepare_database()`, so a fresh install works from any directory with no set-up step.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

log = logging.getLogger(__name__)


def _all_recorded() -> bool:
    """True when every migration file on disk is recorded as applied (a cheap first look).

    Loading the migration graph imports every migration module (about 0.2 s), which every
    `uprhub search` would pay. Listing the migrations folders and reading `django_migrations`
    once answers the usual case, "all applied"; anything else (a new file, a squashed
    migration, a missing table) falls back to the full plan.
    """
    import pkgutil

    from django.apps import apps
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return False
    applied = set(recorder.applied_migrations())
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if not folder.is_dir():
            continue
        for module in pkgutil.iter_modules([str(folder)]):
            if not module.name.startswith("_") and (config.label, module.name) not in applied:
                return False
    return True


def pending_migrations() -> bool:
    if _all_recorded():
        return False
    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@contextmanager
def _first_run_lock():
    """Serialise first-run preparation between processes sharing one data directory."""
    settings.DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = os.open(settings.DATA_DIR / ".prepare.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_bundled_calendar() -> object:
    """The review calendar (which States each session reviews, known deadlines)."""
    from uprhub.calendar.loader import load_calendar

    return load_calendar()


def prepare_database(*, load_data: bool | None = None, say: Callable[[str], None] = print) -> None:
    """Bring the schema up to date and, unless disabled, load the bundled data once."""
    from uprhub.recommendations.importers.bundled import is_loaded, load_bundled_data

    if load_data is None:
        load_data = settings.UPRHUB_AUTOLOAD
    with _first_run_lock():
        if pending_migrations():
            say(_("Preparing the database (applying migrations)…"))
            call_command("migrate", interactive=False, verbosity=0)
        # Cache tables live outside migrations: (re)create the rate-limit table if the
        # cache settings changed since the migration ran (a no-op when it exists).
        call_command("createcachetable", verbosity=0)
        # A batched SQLite import killed half-way left rows behind: undo them (all or nothing).
        from uprhub.recommendations.importers.journal import recover_unfinished_imports

        for journal in recover_unfinished_imports():
            say(
                _("Undid the interrupted import of %(name)s (started %(started)s).")
                % {
                    "name": journal.source_name,
                    "started": journal.started_at.isoformat(" ", "seconds"),
                }
            )
        if load_data and not is_loaded():
            say(_("Loading the bundled UPR data (first start only, about a minute)…"))
            for summary in load_bundled_data():
                say(f"  {summary}")
            say(f"  {load_bundled_calendar()}")
            from uprhub.reports.rules import load_default_rules

            created = load_default_rules()
            # Same English for one and many (the summaries' format); other languages agree.
            text = ngettext(
                "submission rules: %(n)s created", "submission rules: %(n)s created", created
            )
            say("  " + text % {"n": created})
