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
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprhub.recommendations.importers.base import (
    ImportFailed,
    ImportSummary,
    file_sha256,
    run_import,
)
from uprhub.recommendations.importers.lookups import Lookups
from uprhub.recommendations.importers.reference import ensure_reference_data
from uprhub.recommendations.importers.sync import close_source, open_source, sync_recommendations


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
) -> ImportSummary:
    """Import one file whose bytes are `data` (see the module docstring for the steps)."""
    sha256 = file_sha256(data)
    name = file_name or Path(path).name

    def work() -> ImportSummary:
        summary = ImportSummary(kind=kind, file=name, unit=unit)
        ensure_reference_data()
        lookups = Lookups(summary)
        source, new = open_source(kind, path, sha256)
        parsed = parse(lookups, summary)
        if not parsed.drafts and empty_message is not None:
            raise ImportFailed(path, None, empty_message)
        for review_id, cited in parsed.symbols.items():
            lookups.record_symbols(review_id, cited)
        sync(source, parsed.drafts, summary, new_source=new)
        close_source(source, summary, sha256, new=new)
        return summary

    return run_import(work, dry_run=dry_run)
