"""From the synthesis into a shadow report: "Create report section" and "Brief consultation
report". Thin: the work and its permission checks are in `reporting.py` (and the report's own
rules, through `uprhub.reports.services`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from uprhub.core.rules import has_perm
from uprhub.reports.models import Language
from uprhub.reports.services import ReportError

from . import reporting, selectors
from .models import Consultation


class ThemesField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ReportSectionForm(forms.Form):
    report = forms.TypedChoiceField(label=_("Shadow report"), coerce=int)
    themes = ThemesField(label=_("Themes"), coerce=int)

    def __init__(self, *args: Any, reports: list[Any], themes: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["report"].choices = [(r.pk, r.title) for r in reports]
        self.fields["themes"].choices = [(t.theme.pk, _label(t)) for t in themes]


class BriefReportForm(forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Submitted by"),
        coerce=int,
        help_text=_("An individual submission comes from one organisation."),
    )
    # The languages UPR Hub writes the draft's sentences in (OHCHR prefers them too).
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=[(c, n) for c, n in Language.choices if c in ("en", "fr", "es")],
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=255,
        help_text=_("Leave empty for a title made from the consultation."),
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, str(o)) for o in organisations]


def _label(item: reporting.ThemeCount) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(theme)s (%(n)s participant)", "%(theme)s (%(n)s participants)", item.count
    ) % {"theme": item.label, "n": item.count}


def _results(request: HttpRequest, consultation: Consultation) -> None:
    if not has_perm(request.user, "consultations.view_results", consultation):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def report_section(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    _results(request, consultation)
    reports = reporting.editable_reports(consultation, request.user)
    themes = reporting.theme_counts(consultation)
    context: dict[str, Any] = {
        "consultation": consultation,
        "reports": reports,
        "themes": themes,
        "total": reporting.participants(consultation),
    }
    # The synthesis links here with ?theme=ID for a theme to preselect.
    form = ReportSectionForm(
        request.POST or None,
        reports=reports,
        themes=themes,
        initial={
            "themes": request.GET.getlist("theme"),
            "report": reports[0].pk if reports else None,
        },
    )
    status = 200
    if request.method == "POST":
        # A report one may not write in (or of another review) is the service's to refuse,
        # with the report's own rules: a 403, or a message.
        report = None
        if request.POST.get("report"):
            report = reporting.report_or_404(request.POST.get("report"))
            form.fields["report"].choices = [*form.fields["report"].choices, (report.pk, "")]
        if form.is_valid() and report is not None:
            try:
                added = reporting.add_theme_sections(
                    consultation, report, form.cleaned_data["themes"], actor=request.user
                )
            except (reporting.ReportingError, ReportError) as error:
                form.add_error(None, str(error))
            else:
                context["added"] = added
                return render(request, "consultations/report_added.html", context)
        status = 400
    context["form"] = form
    return render(request, "consultations/report_section.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def brief_report(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    _results(request, consultation)
    if not has_perm(request.user, "reports.create"):
        raise PermissionDenied
    organisations = reporting.organisations_for(request.user)
    form = BriefReportForm(
        request.POST or None,
        organisations=organisations,
        initial={
            "organisation": consultation.organisation_id,
            "language": request.LANGUAGE_CODE
            if request.LANGUAGE_CODE in Language.values
            else settings.LANGUAGE_CODE[:2],
        },
    )
    context: dict[str, Any] = {
        "consultation": consultation,
        "form": form,
        "themes": reporting.theme_counts(consultation),
        "total": reporting.participants(consultation),
        "organisations": organisations,
    }
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = {o.pk: o for o in organisations}[form.cleaned_data["organisation"]]
            try:
                report = reporting.create_brief_report(
                    consultation,
                    actor=request.user,
                    organisation=chosen,
                    language=form.cleaned_data["language"],
                    title=form.cleaned_data["title"],
                )
            except (reporting.ReportingError, ReportError) as error:
                form.add_error(None, str(error))
            else:
                context["brief"] = report
                return render(request, "consultations/report_added.html", context)
        status = 400
    return render(request, "consultations/brief_report.html", context, status=status)
