"""The report itself: list, start, upload check, the report page, cover, people, sign-off,
final and export."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uprhub.accounts import selectors as account_selectors
from uprhub.accounts.permissions import login_required
from uprhub.core.rules import perm_required

from .. import exporting, quality, selectors, services
from ..checking import Checked, check_report
from ..citations import citation_sentence
from ..document import Finding
from ..forms import (
    CoverForm,
    DescriptionForm,
    ReportCreateForm,
    RoleForm,
    SectionForm,
    UploadForm,
)
from ..guide import build_guide
from ..models import (
    Citation,
    Comment,
    Paragraph,
    Report,
    ReportSection,
    SectionKind,
)
from ..permissions import Access, can_create_report
from ..rules import rules_for_cycle
from ..to_document import citation_key
from ..validator import counting_explanation, deadline_label
from .common import (
    _back,
    _report_view,
    count_summary,
    editor_strings,
)

# --- the public guide, list, create, upload check ------------------------------------------------


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """ "How to write a stakeholder submission": public, built from the rules in force."""
    rules = rules_for_cycle(selectors.guide_cycle(timezone.localdate()))
    return render(request, "reports/guide.html", {"guide": build_guide(rules)})


def about(request: HttpRequest) -> HttpResponse:
    """The report builder explained to anyone, signed in or not, with the way in."""
    return render(
        request,
        "reports/about.html",
        {"can_create": can_create_report(request.user)},
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/list.html",
        {
            "rows": selectors.reports_for(request.user),
            "can_create": can_create_report(request.user),
        },
    )


@perm_required("reports.create")
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportCreateForm(request.POST or None, user=request.user)
    from_application = selectors.organisation_from_application(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_report(
                actor=request.user,
                review=data["review"],
                submission_type=data["submission_type"],
                organisations=data["all_organisations"],
                new_organisation=data["new_organisation"],
                title=data["title"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                key_words=data["key_words"],
                language=data["language"],
            )
        except services.ReportError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            # The organisation's own checks, e.g. its name registered a moment ago.
            for name, problems in error.message_dict.items():
                field = f"new_organisation_{name}"
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The report is started. You are its lead."))
            if data["new_organisation"] is not None:
                messages.info(
                    request,
                    _(
                        "Your organisation is registered and you are its contact person. A "
                        "coordinator will confirm that you may speak for it; you can write "
                        "meanwhile."
                    ),
                )
            return redirect(report)
    elif request.method == "GET":
        form.initial.setdefault("organisations", selectors.default_organisation_ids(request.user))
        if from_application is not None and not from_application.taken:
            form.initial.update(
                new_organisation_name=from_application.name,
                new_organisation_city=from_application.city,
                new_organisation_country=from_application.country,
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/create.html",
        {"form": form, "from_application": from_application},
        status=status,
    )


@login_required
def upload_check(request: HttpRequest) -> HttpResponse:
    """Check a Word draft as the CLI does (the file is read in memory, not stored)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = exporting.check_upload(
                form.cleaned_data["file"], form.cleaned_data["submission_type"] or None
            )
        except exporting.UploadRejected as error:
            form.add_error("file", str(error))
    status = 400 if request.method == "POST" and form.errors else 200
    count_footnotes = result.validation.count_footnotes if result else _counts_footnotes()
    return render(
        request,
        "reports/upload_check.html",
        {
            "form": form,
            "result": result,
            "counting": counting_explanation(count_footnotes=count_footnotes),
        },
        status=status,
    )


def _counts_footnotes() -> bool:
    """Whether the word limit in force counts footnotes (before any draft is checked)."""
    rule = rules_for_cycle(None).get("word_limit")
    return bool(rule.param("count_footnotes", True)) if rule is not None else True


# --- the report page ---------------------------------------------------------------------------


@dataclass
class ParagraphView:
    paragraph: Paragraph
    number: int | None
    findings: list[Finding]
    comments: list[Comment]
    open_comments: int
    estimate: quality.Estimate | None = None
    hints: list[quality.Hint] = field(default_factory=list)


@dataclass
class SectionView:
    section: ReportSection
    level: int
    citation_number: int | None
    citation_text: str
    citation_sources: list[str]
    citations: list[Citation]
    paragraphs: list[ParagraphView]
    starts_follow_up: bool = False

    @property
    def is_recommendations(self) -> bool:
        return self.section.kind == SectionKind.RECOMMENDATIONS


def _section_views(report: Report, checked: Checked) -> list[SectionView]:
    views: list[SectionView] = []
    follow_up_seen = False
    for section in selectors.ordered_sections(report):
        citations = sorted(
            section.citations.all(),
            key=lambda c: (
                c.recommendation.review.session_id,
                c.recommendation.paragraph_sort or 0,
            ),
        )
        cited = citation_sentence(c.recommendation for c in citations)
        paragraphs = []
        for paragraph in section.paragraphs.all():
            comments = list(paragraph.comments.all())
            item = ParagraphView(
                paragraph=paragraph,
                number=checked.numbers.get(paragraph.key),
                findings=checked.findings_for(paragraph.key),
                comments=comments,
                open_comments=sum(1 for c in comments if not c.is_resolved),
            )
            if section.kind == SectionKind.RECOMMENDATIONS and paragraph.text.strip():
                item.estimate = quality.estimate_action_category(paragraph.text)
                item.hints = quality.smart_hints(paragraph.text, item.estimate)
            paragraphs.append(item)
        views.append(
            SectionView(
                section=section,
                level=2 if section.kind == SectionKind.FOLLOW_UP else 1,
                citation_number=checked.numbers.get(citation_key(section)),
                citation_text=cited.text if cited else "",
                citation_sources=cited.sources if cited else [],
                citations=citations,
                paragraphs=paragraphs,
                starts_follow_up=section.kind == SectionKind.FOLLOW_UP and not follow_up_seen,
            )
        )
        follow_up_seen = follow_up_seen or section.kind == SectionKind.FOLLOW_UP
    return views


@require_GET
@_report_view("view", load=selectors.report_with_everything)
def report_detail(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    checked = check_report(report)
    members = list(report.members.all())
    blockers = services.blockers_from(report, members, checked)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "access": access,
            "checked": checked,
            "validation": checked.validation,
            "general_findings": [f for f in checked.validation.findings if f.paragraph is None],
            "count_summary": count_summary(checked),
            "counting": counting_explanation(count_footnotes=checked.validation.count_footnotes),
            "sections": _section_views(report, checked),
            "members": [
                {
                    "member": m,
                    "current": m.sign_off_is_current(report),
                    "can_sign": access.can_sign_off(m.organisation_id) and report.is_draft,
                }
                for m in members
            ],
            "roles": list(report.roles.all()),
            "blockers": blockers,
            "deadline_label": deadline_label(checked.document.deadline)
            if checked.document.deadline
            else "",
            "section_form": SectionForm(),
            "export_formats": exporting.available_formats(),
            "editor_strings": editor_strings(),
        },
    )


# --- cover, organisations, people --------------------------------------------------------------


@_report_view("edit", load=selectors.report_with_everything)
def cover_edit(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    members = list(report.members.all())
    initial = {
        "title": report.title,
        "submission_type": report.submission_type,
        "organisations": [m.organisation_id for m in members],
        "contact_name": report.contact_name,
        "contact_email": report.contact_email,
        "key_words": report.key_words,
        "language": report.language,
        "version": report.version,
    }
    form = CoverForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = services.CoverValues(
            title=data["title"],
            submission_type=data["submission_type"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            key_words=data["key_words"],
            language=data["language"],
            organisations=list(data["organisations"]),
        )
        try:
            services.update_cover(
                report, values, expected_version=data["version"], actor=request.user
            )
        except services.StaleReport as error:
            stale = error.report
            # Keep what they typed; the next save goes over the version they have now seen.
            form.data = form.data.copy()
            form.data["version"] = stale.version
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The cover details are saved."))
            return redirect(report)
    descriptions = [
        (m, DescriptionForm(initial={"description": m.description_text})) for m in members
    ]
    return render(
        request,
        "reports/cover.html",
        {"report": report, "form": form, "stale": stale, "descriptions": descriptions},
        status=409 if stale else 200,
    )


@require_POST
@_report_view("edit")
def organisation_description(
    request: HttpRequest, report: Report, access: Access, member_pk: int
) -> HttpResponse:
    member = selectors.member_in_report_or_404(report, member_pk)
    form = DescriptionForm(request.POST)
    if form.is_valid():
        services.describe_organisation(member, form.cleaned_data["description"], actor=request.user)
        messages.success(request, _("The description is saved."))
    else:
        messages.error(request, _("The description is too long."))
    return redirect(reverse("reports:cover", args=[report.pk]) + f"#member-{member.pk}")


@_report_view("view")
def people(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    form = RoleForm(request.POST or None)
    if request.method == "POST":
        if not access.can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.set_role(
                    report, form.cleaned_data["user"], form.cleaned_data["role"], actor=request.user
                )
            except services.ReportError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The role is saved."))
                return redirect("reports:people", pk=report.pk)
    roles = list(report.roles.select_related("user__profile"))
    return render(
        request,
        "reports/people.html",
        {"report": report, "access": access, "roles": roles, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@_report_view("manage")
def remove_person(
    request: HttpRequest, report: Report, access: Access, user_pk: int
) -> HttpResponse:
    user = account_selectors.user_or_404(user_pk)
    try:
        services.remove_role(report, user, actor=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The person no longer has a role on this report."))
    return redirect("reports:people", pk=report.pk)


# --- quality, sign-off, final, export ----------------------------------------------------------


@require_GET
@_report_view("view", load=selectors.report_with_everything)
def quality_check(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    only = request.GET.get("paragraph", "")
    paragraphs = [
        paragraph
        for section in selectors.ordered_sections(report)
        if section.kind == SectionKind.RECOMMENDATIONS
        for paragraph in section.paragraphs.all()
        if paragraph.text.strip() and (not only or str(paragraph.pk) == only)
    ]
    found = quality.check_recommendations([p.text for p in paragraphs], report.review)
    checks = list(zip(paragraphs, found, strict=True))
    return render(
        request, "reports/quality.html", {"report": report, "access": access, "checks": checks}
    )


@require_POST
@_report_view("sign_off")
def sign_off(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    try:
        organisation_pk = int(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404 from None
    member = selectors.signing_member_or_404(report, organisation_pk)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw_sign_off(report, member.organisation, actor=request.user)
            messages.success(request, _("The sign-off is withdrawn."))
        else:
            services.sign_off(report, member.organisation, actor=request.user)
            messages.success(
                request,
                _("%(organisation)s signs off the report as it stands now.")
                % {"organisation": member.organisation},
            )
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect(_back(report, "sign-off"))


@require_POST
@_report_view("finalise")
def mark_final(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    try:
        services.mark_final(report, actor=request.user)
    except services.NotReady as not_ready:
        for reason in not_ready.reasons:
            messages.error(request, reason)
        return redirect(_back(report, "sign-off"))
    messages.success(request, _("The report is final. Export it and submit it to OHCHR."))
    return redirect(report)


@require_POST
@_report_view("finalise")
def reopen(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    services.reopen(report, actor=request.user)
    messages.success(request, _("The report is a draft again."))
    return redirect(report)


@require_GET
@_report_view("view", load=selectors.report_with_everything)
def export(request: HttpRequest, report: Report, access: Access, fmt: str) -> HttpResponse:
    try:
        return exporting.export_response(report, fmt)
    except exporting.ExportUnavailable as error:
        messages.error(request, str(error))
        return redirect(_back(report, "export"))
