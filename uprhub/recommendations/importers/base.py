"""What every importer shares: the summary, the error, progress reporting and the transaction.

An import is one transaction: it either applies completely or leaves the database exactly as it
was. Errors in the input are raised as :class:`ImportFailed`, which names the file, the line (or
spreadsheet / table row) and the problem, so the person who made the file can fix it.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.recommendations.signals import data_changed, import_committed


class Progress(Protocol):
    """Called now and then while a file is read: ``done`` of ``total`` rows (``total`` may be 0
    when unknown). Management commands turn it into a progress bar; the web app may ignore it."""

    def __call__(self, done: int, total: int) -> None: ...


def no_progress(done: int, total: int) -> None:
    """The default :class:`Progress`: report nothing."""


class ImportFailed(Exception):  # noqa: N818 - the name reads as what happened, like CommandError
    """Bad input. ``str()`` is "FILE, line N: problem", ready to show to the person importing.

    ``unit`` is "line" for text files and "row" for spreadsheet and Word-table rows.
    """

    def __init__(self, file: str | Path, line: int | None, message: str, *, unit: str = "line"):
        self.file = Path(file).name if file else ""
        self.line = line
        self.message = message
        self.unit = unit
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return _("%(file)s: %(problem)s") % {"file": self.file, "problem": self.message}
        if self.unit == "row":
            text = _("%(file)s, row %(line)s: %(problem)s")
        else:
            text = _("%(file)s, line %(line)s: %(problem)s")
        return text % {"file": self.file, "line": self.line, "problem": self.message}


class WarningKind:
    """What a warning is about, so a summary can say it in words ("4 repeated rows merged")
    without reading the messages. Warnings of no kind are counted as other notes."""

    REPEAT = "repeat"  # a row repeating an earlier one exactly: merged into it
    CONFLICT = "conflict"  # a row disagreeing with an earlier copy: the earlier one kept
    UNKNOWN_NAME = "unknown_name"  # a State name matching none: kept as an unknown State
    MISSING = "missing"  # an empty cell: filled in from the text, or recorded as unknown


@dataclass
class ImportWarning:
    """Something imported as found but worth a look (an unknown name, a merged duplicate…)."""

    line: int | None
    message: str
    unit: str = "line"
    kind: str = ""  # a WarningKind, or "" for anything else

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        if self.unit == "row":
            return _("row %(line)s: %(problem)s") % {"line": self.line, "problem": self.message}
        return _("line %(line)s: %(problem)s") % {"line": self.line, "problem": self.message}


@dataclass
class ImportSummary:
    """What an import did. ``created`` / ``updated`` / ``unchanged`` count the file's main objects
    (recommendations, pledges, documents…); ``details`` counts everything else it touched."""

    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)
    # Rows folded into an earlier row's object (one recommendation from several States, the
    # same item under several themes, a repeated row): why `rows` exceeds the objects.
    merged: int = 0
    dry_run: bool = False
    seconds: float = 0.0
    unit: str = "line"

    def warn(self, line: int | None, message: str, kind: str = "") -> None:
        self.warnings.append(ImportWarning(line, message, self.unit, kind))

    def count(self, name: str, n: int = 1) -> None:
        self.details[name] = self.details.get(name, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or any(self.details.values()))

    def as_dict(self) -> dict:
        """JSON-friendly form, stored in ``Source.summary``."""
        return {
            "kind": self.kind,
            "file": self.file,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": [
                {"line": w.line, "message": w.message} for w in self.warnings[:MAX_STORED_WARNINGS]
            ],
            "warning_count": len(self.warnings),
            "details": dict(self.details),
            "merged": self.merged,
            "dry_run": self.dry_run,
        }

    def __str__(self) -> str:
        text = _(
            "%(file)s: %(rows)s rows read; %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(warnings)s warnings"
        ) % {
            "file": self.file,
            "rows": f"{self.rows:,}",
            "created": f"{self.created:,}",
            "updated": f"{self.updated:,}",
            "unchanged": f"{self.unchanged:,}",
            "warnings": f"{len(self.warnings):,}",
        }
        if self.dry_run:
            text += " " + _("(dry run: nothing was saved)")
        return text

    def format(self, *, max_warnings: int | None = 20) -> str:
        """Several lines: the one-line summary, the details, then the warnings."""
        lines = [str(self)]
        for name, n in sorted(self.details.items()):
            if n:
                lines.append(f"  {name}: {n:,}")
        shown = self.warnings if max_warnings is None else self.warnings[:max_warnings]
        for warning in shown:
            lines.append("  " + _("warning, %(warning)s") % {"warning": warning})
        hidden = len(self.warnings) - len(shown)
        if hidden > 0:
            lines.append(
                "  " + _("… and %(n)s more warnings (use -v 2 to see them all)") % {"n": hidden}
            )
        return "\n".join(lines)


# Source.summary keeps the first warnings only: a bad file could otherwise store megabytes.
MAX_STORED_WARNINGS = 200


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: str | Path) -> bytes:
    """The file's content; a missing or unreadable file is an :class:`ImportFailed`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ImportFailed(path, None, _("file not found")) from None
    except IsADirectoryError:
        raise ImportFailed(path, None, _("is a directory, not a file")) from None
    except OSError as exc:
        raise ImportFailed(path, None, _("cannot be read (%(error)s)") % {"error": exc}) from None


def mark_search_changed() -> None:
    """Announce that recommendations changed (`signals.data_changed`: the search layer bumps
    its data version; its triggers cover most writes, this covers the rest, e.g. a bulk path
    that skipped them)."""
    data_changed.send(sender=ImportSummary)


def run_import(
    work: Callable[[], ImportSummary], *, dry_run: bool = False, using: str | None = None
) -> ImportSummary:
    """Run ``work`` in one transaction; roll everything back on error or when ``dry_run``.

    A dry run does the whole import (so its summary is exact) and then discards it. Machine
    suggestions for what the import changed are made after its transaction has ended: loading
    the model and predicting take seconds, and must neither hold the import's write lock nor
    be able to undo it.
    """
    started = time.perf_counter()
    started_at = timezone.now()
    with transaction.atomic(using=using):
        summary = work()
        if summary.changed:
            mark_search_changed()
        if dry_run:
            transaction.set_rollback(True, using=using)
    if summary.changed and not dry_run:
        suggest_after(started_at)
    summary.dry_run = dry_run
    summary.seconds = time.perf_counter() - started
    return summary


def suggest_after(started_at: datetime) -> None:
    """Announce a committed import (`signals.import_committed`): the classifier then makes
    machine suggestions where labels are missing (never over labels)."""
    import_committed.send(sender=ImportSummary, since=started_at)


class Ticker:
    """Calls a :class:`Progress` every ``every`` rows, so reporting costs nothing per row."""

    def __init__(self, progress: Progress | None, total: int, every: int = 500) -> None:
        self.progress = progress or no_progress
        self.total = total
        self.every = every
        self.done = 0

    def tick(self, n: int = 1) -> None:
        self.done += n
        if self.done % self.every < n:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        self.progress(self.total or self.done, self.total or self.done)
