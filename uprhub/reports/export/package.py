"""The submission package: one ZIP with everything needed to submit to OHCHR.

    report.docx       the submission itself (OHCHR takes Word)
    report.pdf        the same text as PDF, for reading and sharing (not for submitting)
    cover-note.txt    subject line, cover details and how to submit
    validation.json   the validator's findings (same shape as ``uprhub report validate``)
    validation.txt    the same, readable

Member names are fixed, so user text never becomes a path inside the ZIP. When WeasyPrint
cannot run here the PDF is left out and the cover note says why (`build_package` never fails
for want of a PDF); pass ``require_pdf=True`` to get `PdfUnavailable` instead.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from io import BytesIO

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import layout
from ..document import ReportDocument, SubmissionType, ValidationReport
from ..validator import (
    deadline_countdown,
    deadline_label,
    report_to_dict,
    report_to_text,
    validate,
)
from .docx import build_docx
from .pdf import PdfUnavailable, build_pdf

#: Where stakeholders upload since 2014 (UPR.md §3 [M]); e-mail is no longer accepted.
ONLINE_SYSTEM = "https://uprdoc.ohchr.org"


def subject_line(doc: ReportDocument) -> str:
    """ "UPR stakeholder submission – <State> – <session/month year> – <main submitter>".

    For a joint submission "(joint)" follows the main submitter: the 2008 technical guide asked
    for the kind of submission in the subject too.
    """
    cover = doc.cover
    parts = [
        _("UPR stakeholder submission"),
        layout.clean_text(cover.state_name or cover.state_code).strip() or _("[State]"),
        layout.session_text(cover) or _("[session, month year]"),
        layout.clean_text(cover.main_submitter).strip() or _("[main submitter]"),
    ]
    line = " – ".join(parts)
    if cover.submission_type == SubmissionType.JOINT:
        line += " " + _("(joint)")
    # A subject is one line: no newlines from pasted text.
    return " ".join(line.split())


def cover_note(
    doc: ReportDocument,
    report: ValidationReport,
    *,
    now: datetime,
    pdf_problem: str = "",
) -> str:
    lines = [
        _("UPR stakeholder submission – cover note"),
        "",
        _("Subject line: %(subject)s") % {"subject": subject_line(doc)},
        "",
    ]
    for line in layout.cover_lines(doc):
        lines.append(f"{line.label}: {line.value}")
    if layout.lists_organisations(doc):
        lines += ["", layout.organisations_heading() + ":"]
        lines += [f"- {layout.organisation_line(org)}" for org in doc.organisations]
    lines += [""]
    if doc.deadline is not None:
        lines.append(_("Deadline: %(deadline)s") % {"deadline": deadline_label(doc.deadline)})
        if doc.deadline > now:
            lines.append(
                _("Time left: %(left)s") % {"left": deadline_countdown(doc.deadline, now).text}
            )
        else:
            lines.append(_("The deadline has passed."))
    lines += [
        _("Words: %(with)s with footnotes, %(without)s without (limit %(limit)s).")
        % {
            "with": report.word_count,
            "without": report.word_count_without_footnotes,
            "limit": report.limit or "—",
        },
        _("Validation: %(errors)s, %(warnings)s (see validation.txt).")
        % {
            "errors": ngettext("%(n)s error", "%(n)s errors", len(report.errors))
            % {"n": len(report.errors)},
            "warnings": ngettext("%(n)s warning", "%(n)s warnings", len(report.warnings))
            % {"n": len(report.warnings)},
        },
        "",
        _("How to submit"),
        _(
            "1. Upload report.docx through OHCHR's online submission system for the UPR "
            "(%(url)s) before the deadline, 23:59 Geneva time. OHCHR no longer accepts "
            "submissions by e-mail."
        )
        % {"url": ONLINE_SYSTEM},
        _(
            "2. Enter the cover information above in the system's form, and use the subject "
            "line above wherever a title or e-mail subject is asked for."
        ),
        _(
            "3. Submit the Word file: OHCHR asks for Word, not PDF. report.pdf is for reading "
            "and sharing."
        ),
        _(
            "4. One State per submission; a joint submission names every organisation at the "
            "start of the text (report.docx does)."
        ),
    ]
    if pdf_problem:
        lines += ["", _("report.pdf is missing: %(reason)s") % {"reason": pdf_problem}]
    return "\n".join(lines) + "\n"


def package_filename(doc: ReportDocument) -> str:
    """A safe download name, e.g. ``upr-submission-xland-upr-47.zip``."""
    cover = doc.cover
    parts = ["upr-submission", cover.state_code or cover.state_name]
    if cover.session:
        parts.append(f"upr-{cover.session}")
    return f"{layout.file_stem(*parts) or 'upr-submission'}.zip"


def build_package(
    doc: ReportDocument,
    report: ValidationReport | None = None,
    *,
    now: datetime | None = None,
    require_pdf: bool = False,
) -> bytes:
    """The ZIP for `doc`, as bytes; `report` defaults to a fresh validation at `now`."""
    now = now or timezone.now()
    report = report or validate(doc, now=now)
    docx_bytes = build_docx(doc)
    pdf_bytes: bytes | None = None
    problem = ""
    try:
        pdf_bytes = build_pdf(doc)
    except PdfUnavailable as exc:
        if require_pdf:
            raise
        problem = exc.message
    with translation.override(doc.cover.language or "en"):
        note = cover_note(doc, report, now=now, pdf_problem=problem)
        text_report = report_to_text(report)
    payload = report_to_dict(report, doc)
    payload["generated_at"] = now.isoformat()
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.docx", docx_bytes)
        if pdf_bytes is not None:
            archive.writestr("report.pdf", pdf_bytes)
        archive.writestr("cover-note.txt", note.encode("utf-8"))
        archive.writestr(
            "validation.json", json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
        )
        archive.writestr("validation.txt", text_report.encode("utf-8"))
    return buffer.getvalue()
