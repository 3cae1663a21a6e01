"""The UPR Taskforce pages: what it is, the public application form, the coordinators'
review queue and the members' directory."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uprhub.core.antispam import rate_limited
from uprhub.core.rules import perm_required

from . import selectors, services
from .forms import ApplicationForm, DecisionForm, DirectoryFilterForm, QueueFilterForm


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/about.html")


@rate_limited("apply", target_field="email")
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam():
            # Look exactly like a success, so a bot learns nothing.
            return redirect("coalition:apply_done")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("contact_website", None)
            themes = data.pop("themes")
            services.submit_application(themes=themes, **data)
            # Same page for new, repeated and already-approved applicants (no enumeration).
            return redirect("coalition:apply_done")
    return render(request, "coalition/apply.html", {"form": form})


@require_GET
def apply_done(request: HttpRequest) -> HttpResponse:
    return render(request, "coalition/apply_done.html")


@require_GET
@rate_limited("verify", methods=("GET",))
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed for new answers to a known address: a page with a button only."""
    try:
        services.pending_revision(token)
    except services.InvalidConfirmation:
        return render(request, "coalition/apply_confirm_failed.html", status=400)
    return render(request, "coalition/apply_confirm.html", {"token": token})


@require_POST
@rate_limited("verify")
def confirm_submit(request: HttpRequest) -> HttpResponse:
    try:
        services.confirm_revision(request.POST.get("token", ""))
    except services.InvalidConfirmation:
        return render(request, "coalition/apply_confirm_failed.html", status=400)
    return render(request, "coalition/apply_confirmed.html")


@require_GET
@perm_required("coalition.view_queue")
def queue(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    applications = selectors.application_queue(status or None)
    page = Paginator(applications, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "coalition/queue.html",
        {
            "filters": filters,
            "page": page,
            "status": status,
            "counts": selectors.status_counts(),
        },
    )


@perm_required("coalition.view_queue")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_review(pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                application,
                form.cleaned_data["decision"],
                form.cleaned_data["message"],
                actor=request.user,
            )
        except services.DecisionNotAllowed as error:
            messages.error(request, str(error))
            return redirect("coalition:application_detail", pk=application.pk)
        messages.success(
            request,
            _("Decision saved; a message to %(name)s is queued and will be sent shortly.")
            % {"name": application.name},
        )
        return redirect("coalition:queue")
    decisions = application.decisions.select_related("actor")
    return render(
        request,
        "coalition/application_detail.html",
        {
            "application": application,
            "form": form,
            "decisions": decisions,
            "plan": services.approval_plan(application),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
@perm_required("coalition.view_directory")
def directory(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilterForm(request.GET or None, locations=selectors.directory_locations())
    criteria = filters.cleaned_data if filters.is_valid() else {}
    theme = criteria.get("theme")
    members = selectors.directory(
        theme_id=theme.pk if theme else None,
        location=criteria.get("location", ""),
        city=criteria.get("city", ""),
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(request, "coalition/directory.html", {"filters": filters, "page": page})
