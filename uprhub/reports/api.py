"""REST endpoints for shadow reports (django-ninja), mounted by the project's API:

    api.add_router("/reports", router)

Session authentication (the signed-in browser user; POST needs the CSRF token), and every
endpoint checks the report permissions of `permissions.py` like the web pages do.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from . import exporting, selectors
from .checking import check_report
from .document import ReportDocument
from .permissions import access_for
from .validator import report_to_dict

router = Router(auth=django_auth, tags=["reports"])


class ReportListItem(Schema):
    id: int
    title: str
    state: str
    session: int
    cycle: int
    submission_type: str
    status: str
    language: str
    role: str
    paragraphs: int
    updated_at: datetime


def document_to_dict(document: ReportDocument) -> dict[str, Any]:
    cover = document.cover
    return {
        "title": document.title,
        "cover": {
            "state": cover.state_name,
            "state_code": cover.state_code,
            "session": cover.session,
            "session_month_year": cover.session_month_year,
            "cycle": cover.cycle,
            "submission_type": str(cover.submission_type),
            "main_submitter": cover.main_submitter,
            "contact_name": cover.contact_name,
            "contact_email": cover.contact_email,
            "key_words": cover.key_words,
            "language": cover.language,
        },
        "organisations": [
            {
                "name": o.name,
                "acronym": o.acronym,
                "city": o.city,
                "country": o.country,
                "description": o.description,
            }
            for o in document.organisations
        ],
        "sections": [
            {
                "title": s.title,
                "kind": s.kind,
                "level": s.level,
                "paragraphs": [
                    {
                        "number": p.number,
                        "text": p.text,
                        "footnotes": [f.text for f in p.footnotes],
                    }
                    for p in s.paragraphs
                ],
            }
            for s in document.sections
        ],
    }


@router.get("/", response=list[ReportListItem], summary="Reports you can see")
def list_reports(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": row.report.pk,
            "title": row.report.title,
            "state": row.report.review.state.code,
            "session": row.report.review.session_id,
            "cycle": row.report.review.session.cycle_id,
            "submission_type": row.report.submission_type,
            "status": row.report.status,
            "language": row.report.language,
            "role": row.role,
            "paragraphs": row.paragraphs,
            "updated_at": row.report.updated_at,
        }
        for row in selectors.reports_for(request.user)
    ]


@router.get("/{int:report_id}", summary="One report, numbered, with its validation")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = selectors.report_with_everything(report_id, comments=False)
    if report is None:
        raise HttpError(404, _("There is no such report."))
    if not access_for(report, request.user).can_view:
        raise HttpError(403, _("You cannot see this report."))
    checked = check_report(report)
    return {
        "id": report.pk,
        "status": report.status,
        "updated_at": report.updated_at.isoformat(),
        "document": document_to_dict(checked.document),
        "validation": report_to_dict(checked.validation, checked.document),
    }


@router.post("/validate", summary="Check an uploaded Word draft (.docx)")
def validate_upload(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008 — django-ninja's way to declare a file
    submission_type: str = Form(""),  # noqa: B008
) -> dict[str, Any]:
    if submission_type not in ("", "individual", "joint"):
        raise HttpError(400, _("submission_type must be “individual” or “joint”."))
    try:
        result = exporting.check_upload(file, submission_type or None)
    except exporting.UploadRejected as error:
        raise HttpError(400, str(error)) from error
    return {
        "filename": result.filename,
        "document": document_to_dict(result.document),
        "validation": report_to_dict(result.validation, result.document),
    }
