"""The import kinds the command line and the web app offer, each with its function.

Every function is called as ``fn(path, dry_run=…, progress=…, state=…, session=…)``; options a
format does not use are ignored here rather than in every importer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from uprhub.recommendations.importers.base import ImportSummary, Progress


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    takes_review: bool  # accepts --state / --session
    run: Callable[..., ImportSummary]


def _uprinfo(path: Path, **options) -> ImportSummary:
    from uprhub.recommendations.importers.uprinfo import import_uprinfo

    return import_uprinfo(path, dry_run=options["dry_run"], progress=options["progress"])


def _uprinfo_pledges(path: Path, **options) -> ImportSummary:
    from uprhub.recommendations.importers.uprinfo import import_uprinfo_pledges

    return import_uprinfo_pledges(path, dry_run=options["dry_run"], progress=options["progress"])


def _ohchr_csv(path: Path, **options) -> ImportSummary:
    from uprhub.recommendations.importers.ohchr_csv import import_ohchr_csv

    return import_ohchr_csv(path, **options)


def _uhri_xlsx(path: Path, **options) -> ImportSummary:
    from uprhub.recommendations.importers.uhri_xlsx import import_uhri_xlsx

    return import_uhri_xlsx(path, dry_run=options["dry_run"], progress=options["progress"])


def _ohchr_docx(path: Path, **options) -> ImportSummary:
    from uprhub.recommendations.importers.thematic_docx import import_thematic_docx

    return import_thematic_docx(path, **options)


def _un_document(path: Path, **options) -> ImportSummary:
    from uprhub.recommendations.importers.documents import import_un_document

    return import_un_document(path, dry_run=options["dry_run"])


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("uprinfo", _("UPR Info recommendations CSV"), False, _uprinfo),
        Kind("uprinfo-pledges", _("UPR Info voluntary pledges CSV"), False, _uprinfo_pledges),
        Kind("ohchr-csv", _("OHCHR recommendations CSV"), True, _ohchr_csv),
        Kind("uhri-xlsx", _("UHRI Excel export"), False, _uhri_xlsx),
        Kind("ohchr-docx", _("OHCHR thematic list (Word)"), True, _ohchr_docx),
        Kind("un-document", _("UN document text (.txt)"), False, _un_document),
    )
}


def run_kind(
    kind: str,
    path: str | Path,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    state: str | None = None,
    session: int | None = None,
) -> ImportSummary:
    """Import ``path`` as ``kind`` (a key of :data:`KINDS`)."""
    spec = KINDS[kind]
    options: dict = {"dry_run": dry_run, "progress": progress}
    if spec.takes_review:
        options.update(state=state, session=session)
    return spec.run(Path(path), **options)
