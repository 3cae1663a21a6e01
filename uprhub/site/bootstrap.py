"""Prepare the database on first use: apply migrations, then load the bundled data.

`uprhub serve`, `uprhub search` and every other command that reads the database call
`prepare_database()`, so a fresh install works from any directory with no set-up step.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import IO

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


def prepare_database(
    *,
    load_data: bool | None = None,
    say: Callable[[str], None] = print,
    progress_stream: IO[str] | None = None,
) -> None:
    """Bring the schema up to date and, unless disabled, load the bundled data once.

    `say` gets each line of the first start's report; `progress_stream` (the terminal's
    standard error) also gets a progress bar during the long steps when it is a terminal.
    """
    from uprhub.recommendations.importers.bundled import is_loaded

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
            load_everything(say=say, progress_stream=progress_stream)


def load_everything(*, say: Callable[[str], None], progress_stream: IO[str] | None = None) -> None:
    """The first start's loading, step by step: each step is announced as it begins ("2/9"),
    its outcome said in words when it ends, and one line sums everything up at the end."""
    from uprhub.recommendations.importers.bundled import bundled_steps
    from uprhub.recommendations.importers.explain import explain
    from uprhub.recommendations.importers.progress import TqdmProgress
    from uprhub.reports.rules import load_default_rules

    started = time.monotonic()
    say(_("Loading the bundled UPR data (first start only, about a minute)…"))
    steps = bundled_steps()
    total = len(steps) + 2  # the calendar and the submission rules follow the files
    show_bar = bool(progress_stream is not None and progress_stream.isatty())
    warned = False
    for number, step in enumerate(steps, 1):
        say(_step(number, total, str(step.label)))
        bar = TqdmProgress(progress_stream, enabled=show_bar) if progress_stream else None
        try:
            summary = step.run(bar)
        finally:
            if bar is not None:
                bar.close()
        for line in explain(summary):
            say(_INDENT + line)
        warned = warned or bool(summary.warnings)
    say(_step(len(steps) + 1, total, _("The review calendar")))
    calendar = load_bundled_calendar()
    say(_INDENT + _calendar_in_words(calendar))
    say(_step(total, total, _("OHCHR's rules for submissions")))
    created = load_default_rules()
    say(
        _INDENT
        + ngettext("%(n)s submission rule added.", "%(n)s submission rules added.", created)
        % {"n": created}
    )
    if warned:
        say(
            "  "
            + _(
                "Each warning, with its line, is listed by `uprhub manage load_bundled_data -v 2` "
                "(safe to run again: it changes nothing)."
            )
        )
    say(ready_summary(time.monotonic() - started))


_INDENT = "      "


def _step(number: int, total: int, label: str) -> str:
    return "  " + _("%(number)s/%(total)s %(what)s…") % {
        "number": number,
        "total": total,
        "what": label,
    }


def _calendar_in_words(calendar: object) -> str:
    # Read by name: the calendar's summary may grow (estimated dates, moved reviews).
    reviews = int(getattr(calendar, "reviews_created", 0) or 0)
    deadlines = int(getattr(calendar, "deadlines_created", 0) or 0)
    text = ngettext(
        "%(n)s review placed in the calendar (which States each session examines)",
        "%(n)s reviews placed in the calendar (which States each session examines)",
        reviews,
    ) % {"n": f"{reviews:,}"}
    text += ngettext(
        ", %(n)s published deadline added.", ", %(n)s published deadlines added.", deadlines
    ) % {"n": f"{deadlines:,}"}
    problems = len(getattr(calendar, "warnings", []) or []) + len(
        getattr(calendar, "errors", []) or []
    )
    if problems:
        text += " " + _("Details: %(summary)s") % {"summary": calendar}
    return text


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return ngettext("%(s)s second", "%(s)s seconds", seconds) % {"s": seconds}
    return _("%(m)s min %(s)s s") % {"m": seconds // 60, "s": seconds % 60}


def ready_summary(seconds: float) -> str:
    """One line for the end of the first start: what UPR Hub now holds, and how long it took."""
    from uprhub.calendar.models import Deadline
    from uprhub.recommendations.models import Recommendation, VoluntaryPledge
    from uprhub.reports.models_rules import ValidationRule
    from uprhub.reviews.models import Review

    recommendations = Recommendation.objects.count()
    states = Review.objects.filter(recommendations__isnull=False).values("state").distinct()
    return _(
        "UPR Hub is ready: %(recommendations)s recommendations to %(states)s States, "
        "%(pledges)s voluntary pledges, %(reviews)s reviews and %(deadlines)s deadlines in the "
        "calendar, %(rules)s submission rules (loaded in %(time)s)."
    ) % {
        "recommendations": f"{recommendations:,}",
        "states": f"{states.count():,}",
        "pledges": f"{VoluntaryPledge.objects.count():,}",
        "reviews": f"{Review.objects.count():,}",
        "deadlines": f"{Deadline.objects.count():,}",
        "rules": f"{ValidationRule.objects.count():,}",
        "time": _duration(seconds),
    }
