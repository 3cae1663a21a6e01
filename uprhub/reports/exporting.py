"""The web's door to the exporters and the Word reader (both written elsewhere in this app).

Views call `export_response(report, fmt)` and `check_upload(file)`; this module knows which
exporter function serves which format, so a change there touches one place here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .checking import check_report
from .document import ReportDocument, ValidationReport
from .layout import file_stem
from .models import Report
from .validator import validate

FORMATS = {
    "docx": (
        gettext_lazy("Word (.docx)"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "pdf": (gettext_lazy("PDF"), "application/pdf"),
    "zip": (gettext_lazy("Submission package (.zip)"), "application/zip"),
}


class ExportUnavailable(Exception):
    """This format cannot be produced here (e.g. no PDF engine installed); message for users."""


class UploadRejected(Exception):
    """The uploaded file is not a Word document we can read; message for users."""


@dataclass
class UploadResult:
    document: ReportDocument
    validation: ValidationReport
    filename: str


def available_formats() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _type) in FORMATS.items()]


def filename_for(report: Report, extension: str) -> str:
    state = report.review.state.iso3 or report.review.state.code
    stem = file_stem(f"UPR{report.review.session_id}", state, report.title) or "report"
    return f"{stem}.{extension}"


def _render(fmt: str, report: Report) -> bytes:
    checked = check_report(report)
    document = checked.document
    if fmt == "docx":
        from .export.docx import build_docx

        return build_docx(document)
    if fmt == "pdf":
        from .export import pdf

        try:
            return pdf.build_pdf(document)
        except pdf.PdfUnavailable as error:
            raise ExportUnavailable(
                error.message or _("PDF export is not available here; export Word instead.")
            ) from error
    if fmt == "zip":
        from .export import package

        return package.build_package(document, checked.validation)
    raise ExportUnavailable(_("Unknown export format."))


def export_response(report: Report, fmt: str) -> HttpResponse:
    """The report as a download. `report` comes from ``selectors.report_with_everything``."""
    if fmt not in FORMATS:
        raise ExportUnavailable(_("Unknown export format."))
    content = _render(fmt, report)
    response = HttpResponse(content, content_type=FORMATS[fmt][1])
    name = filename_for(report, fmt)
    response["Content-Disposition"] = (
        f'attachment; filename="{re.sub(r"[^A-Za-z0-9._-]", "", name)}"'
    )
    return response


def check_upload(upload: Any, submission_type: str | None = None) -> UploadResult:
    """Read and validate an uploaded Word draft, as ``uprhub report validate`` does."""
    from .docx_reader import DocxRejected, read_upload

    try:
        document = read_upload(upload, submission_type=submission_type)
    except DocxRejected as error:
        raise UploadRejected(error.message) from error
    return UploadResult(document, validate(document), getattr(upload, "name", ""))
