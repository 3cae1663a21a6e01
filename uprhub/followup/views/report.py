"""The implementation report: public downloads (Word, PDF) and its insertion into a shadow report.

Thin views over `uprhub.followup.implementation_report`: the downloads are public once the
round has a published position (404 before, so an unpublished round does not show it exists);
inserting needs an account, and the reports' own permission (lead or drafter of a draft).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uprhub.accounts.permissions import login_required
from uprhub.reports.services import ReportError

from .. import implementation_report as implementation
from ..models import AssessmentRound


def _published_round(slug: str) -> AssessmentRound:
    round_ = implementation.round_with_report(slug)
    if round_ is None:
        raise Http404(_("No such round, or it has no published assessment yet."))
    return round_


def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The report as a Word or PDF file, in the page's language."""
    round_ = _published_round(slug)
    language = (translation.get_language() or "en").split("-")[0]
    try:
        content = implementation.render(round_, fmt, language, cached=True)
    except implementation.ImplementationReportError as error:
        # PDF engine missing on this server: say so and offer Word, as the reports do.
        return render(
            request,
            "followup/report/unavailable.html",
            {"round": round_, "message": str(error)},
            status=503,
        )
    response = HttpResponse(content, content_type=implementation.CONTENT_TYPES[fmt])
    name = implementation.filename_for(round_, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class InsertForm(forms.Form):
    report: Any = forms.ModelChoiceField(
        label=gettext_lazy("Shadow report"),
        queryset=None,  # the person's reports, given by the view
        empty_label=None,
        help_text=gettext_lazy("Your draft reports on a later review of this State."),
    )

    def __init__(self, *args: Any, reports: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["report"]
        field.queryset = reports
        field.label_from_instance = lambda r: (
            _("%(title)s (UPR %(session)s)")
            % {
                "title": r.title,
                "session": r.review.session_id,
            }
        )


@login_required
def insert(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: choose one of your draft reports; POST: insert the section and go to the report."""
    round_ = _published_round(slug)
    user: Any = request.user  # signed in (login_required)
    reports = implementation.target_reports(user, round_)
    form = InsertForm(request.POST or None, reports=reports)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            report = form.cleaned_data["report"]
            try:
                implementation.insert_implementation_section(user, report, round_)
            except (implementation.ImplementationReportError, ReportError) as error:
                form.add_error("report", str(error))
            except PermissionDenied:
                form.add_error("report", _("You cannot write in this report."))
            else:
                messages.success(
                    request,
                    _("The section “%(title)s” was added to the report.")
                    % {"title": implementation.SECTION_TITLE},
                )
                return redirect(report)
        status = 400
    return render(
        request,
        "followup/report/insert.html",
        {"round": round_, "form": form, "has_reports": reports.exists()},
        status=status,
    )
