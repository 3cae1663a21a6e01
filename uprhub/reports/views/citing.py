"""Citing past recommendations: "Add to report" from the explorer or a recommendation page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uprhub.accounts.permissions import login_required

from .. import selectors, services
from ..models import (
    Report,
    SectionKind,
)
from ..permissions import Access, access_for, can_create_report
from .common import (
    _back,
    _int_or_none,
    _report_view,
    _safe_next,
)

# --- citations ---------------------------------------------------------------------------------


@login_required
def cite(request: HttpRequest) -> HttpResponse:
    """ "Add to report" from a search result (GET: choose the section) or in place (POST)."""
    if request.method == "GET":
        return _cite_page(request)
    if request.method != "POST":
        return HttpResponse(status=405)
    try:
        section_pk = int(request.POST.get("section", ""))
        ids = [int(v) for v in request.POST.getlist("recommendation")][:100]
    except ValueError:
        return _cite_error(request, _("Choose a report section and a recommendation."))
    section = selectors.section_with_report(section_pk)
    if section is None or not ids:
        return _cite_error(request, _("Choose a report section and a recommendation."))
    recommendations = selectors.recommendations_for_citing(ids)
    if not recommendations:
        return _cite_error(request, _("Choose a report section and a recommendation."))
    access = access_for(section.report, request.user)
    if not access.can_edit:
        raise PermissionDenied
    try:
        services.cite(section, recommendations, actor=request.user)
    except services.ReportError as error:
        return _cite_error(request, str(error), status=409)
    request.session["reports_last_section"] = section.pk
    fallback = _back(section.report, f"section-{section.pk}")
    target = _safe_next(request, fallback)
    if target != fallback and len(recommendations) == 1:
        target = target.split("#")[0] + f"#cite-{recommendations[0].pk}"
    return redirect(target)


def _preselected(targets: list[selectors.CiteTarget], last: int | None) -> int | None:
    """The section used last, else the first follow-up issue, else the first section."""
    sections = [s for t in targets for s in t.sections]
    if any(s.pk == last for s in sections):
        return last
    follow_up = [s for s in sections if s.kind == SectionKind.FOLLOW_UP]
    candidates = follow_up or sections
    return candidates[0].pk if candidates else None


def _cite_page(request: HttpRequest) -> HttpResponse:
    """Choose the report section a recommendation goes to (the explorer's "Add to report")."""
    pk = _int_or_none(request.GET.get("recommendation"))
    found = selectors.recommendations_for_citing([pk]) if pk else []
    if not found:
        raise Http404(_("No recommendation has this number."))
    recommendation = found[0]
    state_id = recommendation.review.state_id
    targets = [
        t for t in selectors.cite_targets(request.user) if t.report.review.state_id == state_id
    ]
    return render(
        request,
        "reports/cite.html",
        {
            "recommendation": recommendation,
            "targets": targets,
            "selected": _preselected(targets, request.session.get("reports_last_section")),
            "next": _safe_next(request, reverse("recommendations:explorer")),
            "can_create": can_create_report(request.user),
        },
    )


def _cite_error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(
        request,
        "reports/cite_error.html",
        {"message": message, "back": _safe_next(request, reverse("recommendations:explorer"))},
        status=status,
    )


@require_POST
@_report_view("edit")
def citation_remove(
    request: HttpRequest, report: Report, access: Access, citation_pk: int
) -> HttpResponse:
    citation = selectors.citation_in_report_or_404(report, citation_pk)
    services.uncite(citation, actor=request.user)
    return redirect(_back(report, f"section-{citation.section_id}"))
