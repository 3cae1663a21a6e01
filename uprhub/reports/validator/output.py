"""Validation results as JSON and text, shared by the CLI, the API and the submission package."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..document import Finding, ReportDocument, Severity, ValidationReport
from .deadline import deadline_in_geneva
from .words import counting_explanation, format_count


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "paragraph": finding.paragraph,
        "source_note": finding.source_note,
    }


def report_to_dict(report: ValidationReport, doc: ReportDocument | None = None) -> dict[str, Any]:
    """The JSON shape of a validation (CLI ``--format json``, API, ``validation.json``)."""
    payload: dict[str, Any] = {
        "word_count": report.word_count,
        "word_count_without_footnotes": report.word_count_without_footnotes,
        "limit": report.limit,
        "limit_note": report.limit_note,
        "errors": [finding_to_dict(f) for f in report.errors],
        "warnings": [finding_to_dict(f) for f in report.warnings],
        "tips": [finding_to_dict(f) for f in report.tips],
    }
    if doc is not None:
        payload["paragraphs"] = len(doc.paragraphs())
        payload["footnotes"] = sum(len(p.footnotes) for p in doc.paragraphs())
        payload["type"] = str(doc.cover.submission_type)
        payload["deadline"] = deadline_in_geneva(doc.deadline).isoformat() if doc.deadline else None
    return payload


def report_to_json(report: ValidationReport, doc: ReportDocument | None = None) -> str:
    return json.dumps(report_to_dict(report, doc), ensure_ascii=False, indent=2)


SEVERITY_LABELS: dict[Severity, Any] = {
    Severity.ERROR: gettext_lazy("Error"),
    Severity.WARNING: gettext_lazy("Warning"),
    Severity.TIP: gettext_lazy("Tip"),
}


def _severity_counts(report: ValidationReport) -> str:
    """Each count with its own plural: "2 errors, 1 warning, 0 tips."."""
    errors, warnings, tips = len(report.errors), len(report.warnings), len(report.tips)
    # Translators: joins "2 errors", "1 warning" and "0 tips" into one sentence.
    return _("%(errors)s, %(warnings)s, %(tips)s.") % {
        "errors": ngettext("%(n)s error", "%(n)s errors", errors) % {"n": errors},
        "warnings": ngettext("%(n)s warning", "%(n)s warnings", warnings) % {"n": warnings},
        "tips": ngettext("%(n)s tip", "%(n)s tips", tips) % {"n": tips},
    }


def report_to_text(report: ValidationReport) -> str:
    """A plain-text rendering for terminals and ``validation.txt``."""
    lines = [
        _("Words: %(with)s with footnotes, %(without)s without; limit %(limit)s.")
        % {
            "with": format_count(report.word_count),
            "without": format_count(report.word_count_without_footnotes),
            "limit": format_count(report.limit) if report.limit else "—",
        },
        *([_("Limit: %(note)s") % {"note": report.limit_note}] if report.limit_note else []),
        _severity_counts(report),
        "",
    ]
    for finding in report.findings:
        where = _("¶ %(n)s") % {"n": finding.paragraph} if finding.paragraph else ""
        label = str(SEVERITY_LABELS[finding.severity])
        lines.append(f"{label:<8} {where:<6} [{finding.rule}] {finding.message}")
        if finding.source_note:
            lines.append(" " * 16 + _("Source: %(note)s") % {"note": finding.source_note})
    lines += ["", _("How words are counted")]
    lines += [f"- {line}" for line in counting_explanation(count_footnotes=report.count_footnotes)]
    return "\n".join(lines).rstrip() + "\n"
