"""UN document texts (extracted from the PDFs) → ``reviews.Document``, attached to their review.

The symbol, its date and the title are read from the text itself: a pre-session document starts
with "A/HRC/WG.6/<session>/<ISO3>/<n>" and "Distr.: General 28 August 2025". The bundled ones are
the US 4th-cycle UN compilation (/2) and stakeholders' summary (/3).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import (
    ImportFailed,
    ImportSummary,
    read_bytes,
    run_import,
)
from uprhub.recommendations.importers.csvfile import decode_utf8
from uprhub.recommendations.importers.lookups import Lookups
from uprhub.recommendations.importers.reference import ensure_reference_data
from uprhub.reviews.models import Document, DocumentKind

_PRE_SESSION = re.compile(r"\bA/HRC/WG\.6/(?P<session>\d+)/(?P<iso3>[A-Z]{3})/(?P<n>[123])\b")
_DATE = re.compile(r"Distr\.:\s*\w+\s+(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
_KINDS = {
    "1": DocumentKind.NATIONAL_REPORT,
    "2": DocumentKind.COMPILATION,
    "3": DocumentKind.STAKEHOLDER_SUMMARY,
}
_TITLE_STARTS = ("National report", "Compilation of", "Summary of")


def _title(text: str, kind: str) -> str:
    for line in text.splitlines()[:40]:
        line = line.strip()
        if line.startswith(_TITLE_STARTS):
            return line.rstrip("*").strip()[:300]
    return str(DocumentKind(kind).label)


def _date(text: str) -> dt.date | None:
    match = _DATE.search(text[:2000])
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group("date"), "%d %B %Y").date()
    except ValueError:
        return None


def import_un_document(path: str | Path, *, dry_run: bool = False) -> ImportSummary:
    """Import (or update) one pre-session document; the text must name its own symbol."""
    path = Path(path)
    data = read_bytes(path)
    text = decode_utf8(path, data).replace("\r\n", "\n")
    if not text.strip():
        raise ImportFailed(path, None, _("the file is empty"))
    match = _PRE_SESSION.search(text[:2000])
    if not match:
        raise ImportFailed(
            path,
            None,
            _("no document symbol like A/HRC/WG.6/50/USA/2 at the start of the text"),
        )
    symbol = match.group(0)
    kind = _KINDS[match.group("n")]
    values = {
        "kind": kind,
        "title": _title(text, kind),
        "published": _date(text),
        "text": text.strip(),
        "source_name": path.name,
    }

    def work() -> ImportSummary:
        summary = ImportSummary(kind="un_document", file=path.name, rows=1)
        ensure_reference_data()
        lookups = Lookups(summary)
        state = lookups.find_state(match.group("iso3"))
        if state is None:
            raise ImportFailed(
                path,
                None,
                _("unknown State %(iso3)s in %(symbol)s")
                % {"iso3": match.group("iso3"), "symbol": symbol},
            )
        review_id = lookups.review_id(state, int(match.group("session")))
        document = Document.objects.filter(symbol=symbol).first()
        if document is None:
            Document.objects.create(review_id=review_id, symbol=symbol, **values)
            summary.created += 1
            return summary
        wanted = {"review_id": review_id, **values}
        changed = [f for f, v in wanted.items() if getattr(document, f) != v]
        if changed:
            for field in changed:
                setattr(document, field, wanted[field])
            document.save()
            summary.updated += 1
        else:
            summary.unchanged += 1
        return summary

    return run_import(work, dry_run=dry_run)
