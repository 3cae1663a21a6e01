"""An import's summary said in words, for people who are not reading the file.

``str(summary)`` ("33,082 rows read; 32,082 created, … 9 warnings") is exact but leaves a
newcomer asking where 1,000 rows went and whether nine warnings mean trouble. `explain` says
what was added, why rows and objects differ (rows merged into an earlier row's object) and
what the warnings are about, grouped by kind, with how to see each one.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uprhub.recommendations.models import SourceKind

from .base import ImportSummary, WarningKind

# Kinds whose objects are recommendations (the others: pledges, documents, reference data).
_RECOMMENDATION_KINDS = {
    SourceKind.UPRINFO_CSV,
    SourceKind.OHCHR_CSV,
    SourceKind.OHCHR_DOCX,
    SourceKind.UHRI_XLSX,
}


def _n(number: int) -> str:
    return f"{number:,}"


def _objects(summary: ImportSummary, n: int) -> str:
    if summary.kind in _RECOMMENDATION_KINDS:
        return ngettext("%(n)s recommendation", "%(n)s recommendations", n) % {"n": _n(n)}
    if summary.kind == SourceKind.UPRINFO_PLEDGES_CSV:
        return ngettext("%(n)s voluntary pledge", "%(n)s voluntary pledges", n) % {"n": _n(n)}
    if summary.kind in {"un-document", "un_document"}:
        return ngettext("%(n)s UN document", "%(n)s UN documents", n) % {"n": _n(n)}
    return ngettext("%(n)s record", "%(n)s records", n) % {"n": _n(n)}


def what_was_added(summary: ImportSummary) -> str:
    """ "From 33,082 rows: 32,082 recommendations added." (and updated, already there)."""
    parts = [_("%(objects)s added") % {"objects": _objects(summary, summary.created)}]
    if summary.updated:
        parts.append(_("%(n)s updated") % {"n": _n(summary.updated)})
    if summary.unchanged:
        parts.append(_("%(n)s already there, unchanged") % {"n": _n(summary.unchanged)})
    text = ", ".join(parts)
    if summary.kind == "reference":
        return text + "."
    return ngettext(
        "From %(rows)s row: %(text)s.", "From %(rows)s rows: %(text)s.", summary.rows
    ) % {
        "text": text,
        "rows": _n(summary.rows),
    }


def why_rows_were_merged(summary: ImportSummary) -> str | None:
    """Why fewer objects than rows: rows merged into an earlier row's object."""
    if not summary.merged:
        return None
    if summary.kind == SourceKind.UPRINFO_CSV:
        reason = _(
            "UPR Info lists a recommendation made by several States once for each of them; "
            "every recommending State is kept"
        )
    elif summary.kind == SourceKind.OHCHR_DOCX:
        reason = _("a recommendation listed under several themes is one recommendation")
    else:
        reason = _("the same text appears more than once in the file")
    return ngettext(
        "%(n)s row repeated something already read and was merged into it (%(reason)s).",
        "%(n)s rows repeated something already read and were merged into it (%(reason)s).",
        summary.merged,
    ) % {"n": _n(summary.merged), "reason": reason}


def _warning_kind_text(kind: str, n: int) -> str:
    if kind == WarningKind.REPEAT:
        return ngettext(
            "%(n)s row repeats an earlier row exactly (merged)",
            "%(n)s rows repeat an earlier row exactly (merged)",
            n,
        ) % {"n": _n(n)}
    if kind == WarningKind.CONFLICT:
        return ngettext(
            "%(n)s row disagrees with an earlier row of the same recommendation on its "
            "position, action category or text (the earlier row is kept)",
            "%(n)s rows disagree with an earlier row of the same recommendation on its "
            "position, action category or text (the earlier row is kept)",
            n,
        ) % {"n": _n(n)}
    if kind == WarningKind.UNKNOWN_NAME:
        return ngettext(
            "%(n)s State name is not recognised and is kept as an “unknown” State",
            "%(n)s State names are not recognised and are kept as “unknown” States",
            n,
        ) % {"n": _n(n)}
    if kind == WarningKind.MISSING:
        return ngettext(
            "%(n)s row has an empty cell, filled in from the text or recorded as unknown",
            "%(n)s rows have an empty cell, filled in from the text or recorded as unknown",
            n,
        ) % {"n": _n(n)}
    return ngettext("%(n)s other note", "%(n)s other notes", n) % {"n": _n(n)}


_KIND_ORDER = [
    WarningKind.REPEAT,
    WarningKind.CONFLICT,
    WarningKind.UNKNOWN_NAME,
    WarningKind.MISSING,
    "",
]


def what_the_warnings_say(summary: ImportSummary) -> str | None:
    """ "9 warnings, nothing was left out: 4 rows repeat …; 5 rows disagree …"."""
    if not summary.warnings:
        return None
    counts = Counter(w.kind if w.kind in _KIND_ORDER else "" for w in summary.warnings)
    details = "; ".join(
        _warning_kind_text(kind, counts[kind]) for kind in _KIND_ORDER if counts[kind]
    )
    return ngettext(
        "%(n)s warning, nothing was left out: %(details)s.",
        "%(n)s warnings, nothing was left out: %(details)s.",
        len(summary.warnings),
    ) % {"n": _n(len(summary.warnings)), "details": details}


def explain(summary: ImportSummary) -> list[str]:
    """The summary as sentences, one per line: added, merged rows, warnings."""
    lines = [what_was_added(summary)]
    for line in (why_rows_were_merged(summary), what_the_warnings_say(summary)):
        if line:
            lines.append(line)
    return lines
