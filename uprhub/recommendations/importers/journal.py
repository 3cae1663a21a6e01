"""The durable record of a batched SQLite import, so that even a crash leaves nothing behind.

A batched import (`pipeline._import_in_batches`) commits as it goes. It first opens an
`ImportJournal` (status ``running``, its process id and host), then writes the ids of every
row it creates — the file's Source, the States, reviews and themes its lookups add, each batch
of recommendations — as an `ImportJournalBatch` *in the same transaction* as the rows, so the
record never lags behind the data. Its final transaction marks the journal ``finished`` and
drops the batches; a handled failure deletes the rows (`Undo`) and marks it ``undone``.

A process killed mid-import (power loss, out of memory, SIGKILL) leaves its journal
``running``. `recover_unfinished_imports` — run by every `uprhub` command that prepares the
database, and by every batched import before it starts — deletes the rows of each such journal
whose process is gone, with the same code as a handled failure, and marks it ``undone``.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.apps import apps
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from uprhub.recommendations.importers.base import mark_search_changed
from uprhub.recommendations.importers.sync import chunks
from uprhub.recommendations.models import (
    ImportJournal,
    ImportJournalBatch,
    Label,
    Recommendation,
    RecommendingState,
)

log = logging.getLogger(__name__)

#: Attempts at a short write when another writer got in first (SQLite "database is locked").
LOCKED_ATTEMPTS = 5
#: A journal written on another host is taken for dead once it has not moved for this long.
STALE_AFTER = timedelta(hours=1)
UNDONE = ImportJournal.Status.UNDONE


# --- deleting what an import wrote --------------------------------------------------------


@dataclass
class Undo:
    """What a batched import wrote, to delete it again if the import fails."""

    recommendations: list[int] = field(default_factory=list)
    rows: list[tuple[type[Model], int]] = field(default_factory=list)

    @classmethod
    def of(cls, journal: ImportJournal) -> Undo:
        """What `journal` records, in the order it was written."""
        undo = cls()
        for label, ids in journal.batches.order_by("pk").values_list("model", "ids"):
            model = apps.get_model(label)
            if model is Recommendation:
                undo.recommendations.extend(ids)
            else:
                undo.rows.extend((model, pk) for pk in ids)
        return undo

    def run(self) -> None:
        for part in chunks(self.recommendations, 500):
            while_locked(partial(delete_recommendations, part))
        for model, pk in reversed(self.rows):
            try:
                while_locked(partial(raw_delete, model, [pk]))
            except IntegrityError:
                # Something written meanwhile refers to it (a report on a new review, say):
                # it stays, which is harmless; the import's own rows are gone.
                log.warning("Kept %s %s created by a failed import: now in use", model, pk)

    def describe(self) -> str:
        counts = Counter(model._meta.label for model, _pk in self.rows)
        if self.recommendations:
            counts[Recommendation._meta.label] = len(self.recommendations)
        return ", ".join(f"{n} {label}" for label, n in sorted(counts.items())) or "no rows"


def while_locked[T](action: Callable[[], T], attempts: int = LOCKED_ATTEMPTS) -> T:
    """Run `action` in a transaction, again (with waits) while the database stays locked."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return action()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts:
                raise
            time.sleep(min(0.05 * 2**attempt, 1.0))
    raise AssertionError("unreachable")  # the last attempt returned or raised


def delete_recommendations(pks: list[int]) -> None:
    _delete_children(pks)
    raw_delete(Recommendation, pks)


def raw_delete(model: type[Model], pks: list[int]) -> None:
    """DELETE without the ORM's cascade: a row something else refers to fails at commit."""
    if not pks:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({marks})", pks)  # noqa: S608


def _delete_children(recommendation_ids: list[int]) -> None:
    marks = ", ".join(["%s"] * len(recommendation_ids))
    with connection.cursor() as cursor:
        for model in (RecommendingState, Label):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"DELETE FROM {table} WHERE recommendation_id IN ({marks})",  # noqa: S608
                recommendation_ids,
            )


# --- the journal -------------------------------------------------------------------------


class Journal:
    """The running import's journal. `record` belongs inside the transaction of the rows."""

    def __init__(self, kind: str, name: str) -> None:
        now = timezone.now()
        with transaction.atomic():
            self.entry = ImportJournal.objects.create(
                source_kind=kind,
                source_name=name[:255],
                started_at=now,
                updated_at=now,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                pid_started=process_started(os.getpid()),
            )

    def record(self, model: type[Model], pks: Iterable[int]) -> None:
        ids = list(pks)
        if not ids:
            return
        if not connection.in_atomic_block:  # the record must commit with the rows, or not at all
            raise RuntimeError("Journal.record() outside the transaction of the rows it records")
        ImportJournalBatch.objects.create(journal=self.entry, model=model._meta.label, ids=ids)
        ImportJournal.objects.filter(pk=self.entry.pk).update(updated_at=timezone.now())

    def finish(self) -> None:
        """Mark the import done: call it in the import's final transaction."""
        _close(self.entry.pk, ImportJournal.Status.FINISHED)

    def undo(self, known: Undo) -> None:
        """After a handled failure: delete what `known` (kept in memory) and the journal hold.

        The journal covers a batch committed just before an interruption (Ctrl+C) that came
        before the import could note it in memory.
        """
        recorded = Undo.of(self.entry)
        merged = Undo(
            recommendations=list(dict.fromkeys(known.recommendations + recorded.recommendations)),
            rows=list(dict.fromkeys(recorded.rows + known.rows)),
        )
        merged.run()
        while_locked(partial(_close, self.entry.pk, UNDONE))


def _close(pk: int, status: str) -> bool:
    """Close a running journal; False when it was closed already (by another recovery)."""
    ImportJournalBatch.objects.filter(journal_id=pk).delete()
    return bool(
        ImportJournal.objects.filter(pk=pk, status=ImportJournal.Status.RUNNING).update(
            status=status, updated_at=timezone.now()
        )
    )


# --- recovery after a crash ----------------------------------------------------------------


def process_started(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot, Linux), or None if unknown/gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The fields after the command name, which is in parentheses and may hold anything.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in {"Z", "X"}:  # a zombie: killed, not yet reaped, so not importing
        return None
    return int(fields[19])  # field 22 of proc_pid_stat(5)


def process_alive(journal: ImportJournal) -> bool:
    """Whether the process that wrote `journal` may still be importing (never guess "dead")."""
    if journal.host != socket.gethostname()[:255]:
        return timezone.now() - journal.updated_at < STALE_AFTER
    try:
        os.kill(journal.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    started = process_started(journal.pid)
    if Path("/proc/self/stat").exists() and started is None:
        return False  # a zombie, or gone since
    # The same pid with another start time is a new process that reused the number.
    return journal.pid_started is None or started is None or started == journal.pid_started


def recover_unfinished_imports() -> list[ImportJournal]:
    """Undo every import left ``running`` by a process that is gone; return their journals."""
    recovered = []
    for journal in ImportJournal.objects.filter(status=ImportJournal.Status.RUNNING):
        if process_alive(journal):
            continue
        undo = Undo.of(journal)
        try:
            undo.run()
            closed = while_locked(partial(_close, journal.pk, UNDONE))
        except Exception:  # keep it running: the next command tries again, and says so
            log.exception("Could not undo the interrupted import of %s", journal.source_name)
            continue
        if not closed:
            continue  # another process recovered it at the same time, and reports it
        journal.status = UNDONE
        log.warning(
            "Undid the interrupted import of %s %s (started %s, process %s on %s): removed %s",
            journal.source_kind,
            journal.source_name,
            journal.started_at.isoformat(timespec="seconds"),
            journal.pid,
            journal.host,
            undo.describe(),
        )
        recovered.append(journal)
    if recovered:
        mark_search_changed()
    return recovered
