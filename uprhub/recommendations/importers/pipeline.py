"""The one skeleton every recommendation-file importer runs.

Each format module reads and checks its file, then calls `import_source_file` with a
``parse(lookups, summary)`` callback that turns the file into drafts (resolving the review
first when the format needs to). The skeleton does the rest, the same way for every format:

1. one transaction (`base.run_import`; ``dry_run`` rolls it back),
2. reference data present, a fresh `Lookups`, the file's `Source` (found by kind and name),
3. the format's ``parse``; an empty result is an `ImportFailed` when the format says so,
4. UN document symbols the file cites recorded on their reviews,
5. `sync` (recommendations or pledges) and the Source's hash and summary,
6. after the transaction: machine suggestions (`base.run_import`).

On SQLite one writer at a time holds the whole database: a 250,000-row import in one
transaction would make every web write wait for a minute and fail. There a recommendations
import runs **in batches** instead (`_import_in_batches`), releasing the write lock between
them, and stays all-or-nothing by undoing what it wrote:

* parsing, with every check that can reject the file, comes first and writes only the few
  rows a lookup creates (an unknown State, a new review or theme), each recorded;
* new recommendations (with their recommending States and labels) are inserted in batches of
  `batch_rows()`, each a short transaction, their ids recorded;
* the rest — changes to recommendations that were there before, cited symbols, the Source's
  summary — is one final transaction, short unless the file changes many existing rows;
* any failure (a bad line, an error in a batch or at the end, Ctrl+C) deletes, in short
  transactions, everything recorded, so the database is as before. Between batches other
  connections write normally; readers may see a part of the new rows while the import runs.

What is recorded is also written to a durable journal (`journal.Journal`): an
`ImportJournal` opened before the first write, and the ids of every row created (Source,
lookups' rows, each batch of recommendations) committed *in the same transaction* as the
rows. The final transaction marks it finished; a handled failure marks it undone. If the
process is killed mid-import (power loss, out of memory, SIGKILL), its journal stays
``running``: the next `uprhub` command that prepares the database, or the next batched
import, sees that its process is gone and deletes what it recorded
(`journal.recover_unfinished_imports`), so the import is all-or-nothing even across a crash.
A journal whose process is still alive is never touched. PostgreSQL, dry runs and voluntary
pledges use the single transaction: there it costs writers nothing.
"""

from __future__ import annotations

import copy
import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from uprhub.recommendations.importers.base import (
    ImportFailed,
    ImportSummary,
    file_sha256,
    mark_search_changed,
    run_import,
    suggest_after,
)
from uprhub.recommendations.importers.journal import (
    LOCKED_ATTEMPTS,
    Journal,
    Undo,
    recover_unfinished_imports,
)
from uprhub.recommendations.importers.lookups import Lookups
from uprhub.recommendations.importers.reference import ensure_reference_data
from uprhub.recommendations.importers.sync import (
    chunks,
    close_source,
    create_recommendations,
    open_source,
    split_new,
    sync_recommendations,
)
from uprhub.recommendations.models import Recommendation, Source

log = logging.getLogger(__name__)


@dataclass
class Parsed:
    """What a format's ``parse`` returns: drafts, and per review the document symbols cited."""

    drafts: list[Any]
    symbols: Mapping[int, Counter[str]] = field(default_factory=dict)


Parse = Callable[[Lookups, ImportSummary], Parsed]
Sync = Callable[..., None]


def import_source_file(
    path: str | Path,
    data: bytes,
    *,
    kind: str,
    parse: Parse,
    sync: Sync = sync_recommendations,
    file_name: str | None = None,
    unit: str = "line",
    empty_message: str | None = None,
    dry_run: bool = False,
    between_batches: Callable[[], None] | None = None,
) -> ImportSummary:
    """Import one file whose bytes are `data` (see the module docstring for the steps)."""
    sha256 = file_sha256(data)
    name = file_name or Path(path).name
    if connection.vendor == "sqlite" and not dry_run and sync is sync_recommendations:
        return _import_in_batches(
            path,
            sha256,
            kind=kind,
            parse=parse,
            name=name,
            unit=unit,
            empty_message=empty_message,
            between_batches=between_batches,
        )

    def work() -> ImportSummary:
        summary = ImportSummary(kind=kind, file=name, unit=unit)
        ensure_reference_data()
        lookups = Lookups(summary)
        source, new = open_source(kind, path, sha256)
        parsed = parse(lookups, summary)
        summary.merged = _merged_rows(summary, parsed)
        if not parsed.drafts and empty_message is not None:
            raise ImportFailed(path, None, empty_message)
        for review_id, cited in parsed.symbols.items():
            lookups.record_symbols(review_id, cited)
        sync(source, parsed.drafts, summary, new_source=new)
        close_source(source, summary, sha256, new=new)
        return summary

    return run_import(work, dry_run=dry_run)


def _merged_rows(summary: ImportSummary, parsed: Parsed) -> int:
    """Rows that became part of an earlier row's object: every row read either starts a
    draft or is merged into one (a parser fails on anything else)."""
    return max(summary.rows - len(parsed.drafts), 0)


DEFAULT_BATCH_ROWS = 500
#: Attempts at the final step when another writer got in first (SQLite "database is locked").
FINAL_ATTEMPTS = LOCKED_ATTEMPTS


def _let_writers_in(batch_seconds: float) -> None:
    """Step aside after a batch so writers waiting on the lock get it.

    SQLite's busy handler is not a queue: a waiting connection sleeps (up to 100 ms at a time)
    and retries, so an importer that begins its next batch at once can take the lock again
    and again before they wake. As long as the batch took (50–300 ms) lets them all in: the
    lock is free at least half of the time.
    """
    # Copy the batch from the write-ahead log into the database now, while we wait anyway:
    # otherwise the next web write to commit past the log's size limit does it, and waits.
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    time.sleep(min(max(batch_seconds, 0.05), 0.3))


def batch_rows() -> int:
    return int(getattr(settings, "UPRHUB_IMPORT_BATCH_ROWS", DEFAULT_BATCH_ROWS))


def _import_in_batches(
    path: str | Path,
    sha256: str,
    *,
    kind: str,
    parse: Parse,
    name: str,
    unit: str,
    empty_message: str | None,
    between_batches: Callable[[], None] | None,
) -> ImportSummary:
    pause = between_batches or (lambda: None)
    started = time.perf_counter()
    started_at = timezone.now()
    recover_unfinished_imports()  # an earlier import of this database killed half-way
    with transaction.atomic():
        ensure_reference_data()  # reference data, not the file's: it may stay
    summary = ImportSummary(kind=kind, file=name, unit=unit)
    lookups = Lookups(summary)
    undo = Undo()
    # From here on every row written is recorded in the journal, in its own transaction.
    journal = Journal(kind, name)
    lookups.journal = journal.record
    try:
        with transaction.atomic():
            source, new = open_source(kind, path, sha256)
            if new:
                journal.record(Source, [source.pk])
        if new:
            undo.rows.append((Source, source.pk))
        try:
            parsed = parse(lookups, summary)
        finally:
            undo.rows[:0] = lookups.created  # the Source refers to none of them: delete it last
        summary.merged = _merged_rows(summary, parsed)
        if not parsed.drafts and empty_message is not None:
            raise ImportFailed(path, None, empty_message)
        fresh, known = split_new(source, parsed.drafts)
        for part in chunks(fresh, batch_rows()):
            pause()
            batch_started = time.perf_counter()
            with transaction.atomic():
                created = create_recommendations(source, part, summary)
                journal.record(Recommendation, created)
            undo.recommendations.extend(created)
            _let_writers_in(time.perf_counter() - batch_started)
        pause()
        # The final step holds the lock while it reads, so it only looks at the drafts that
        # matched rows already there (none in a first import of a file).
        before = copy.deepcopy(summary)
        for attempt in range(1, FINAL_ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    for review_id, cited in parsed.symbols.items():
                        lookups.record_symbols(review_id, cited)
                    sync_recommendations(
                        source,
                        known,
                        summary,
                        new_source=new,
                        also_in_file=undo.recommendations,
                    )
                    close_source(source, summary, sha256, new=new)
                    if summary.changed:
                        mark_search_changed()
                    journal.finish()
                break
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == FINAL_ATTEMPTS:
                    raise
                summary = copy.deepcopy(before)  # the attempt's counts are void
                time.sleep(min(0.05 * 2**attempt, 1.0))
    except BaseException:
        journal.undo(undo)
        mark_search_changed()
        raise
    if summary.changed:
        suggest_after(started_at)
    summary.seconds = time.perf_counter() - started
    return summary
