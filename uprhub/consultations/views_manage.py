"""Pages of the people who run consultations: the list of consultations, creating one, its
settings and who facilitates or moderates it. Thin: the work is in services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from uprhub.core.rules import has_perm, perm_required

from . import selectors, services
from .forms_manage import CreateForm, EditForm, RoleForm
from .models import Consultation

PAGE_SIZE = 20


def _require(request: HttpRequest, perm: str, consultation: Consultation) -> None:
    if not has_perm(request.user, perm, consultation):
        raise PermissionDenied(perm)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.listed(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/index.html",
        {
            "page": page,
            "mine": selectors.run_by(request.user)[:50],
            "may_create": has_perm(request.user, "consultations.create"),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required("consultations.create")
def create(request: HttpRequest) -> HttpResponse:
    form = CreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = form.settings()
        try:
            consultation = services.create_consultation(
                actor=request.user,
                slug=data["slug"],
                review=data["review"],
                title=changes.title,
                place=changes.place,
                description=changes.description,
                languages=changes.languages,
                opens_at=changes.opens_at,
                closes_at=changes.closes_at,
                access_code=data.get("access_code") or "",
                questions={"themes": changes.ask_themes, "government": changes.ask_government},
            )
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Consultation created. Next: choose who facilitates and moderates it."),
            )
            return redirect("consultations:people", consultation.slug)
    return render(request, "consultations/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    _require(request, "consultations.manage", consultation)
    consent = consultation.current_consent()
    initial: dict[str, Any] = {
        **EditForm.initial_for(consultation),
        "version": consultation.version,
        "consent_text": consent.text,
    }
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_consultation(
                consultation,
                form.settings(),
                actor=request.user,
                version=form.cleaned_data["version"],
                access_code=form.access_code_change(),
            )
            services.add_consent_version(
                consultation, form.cleaned_data["consent_text"], actor=request.user
            )
        except services.StaleEdit as error:
            messages.error(request, str(error))
            return redirect("consultations:edit", consultation.slug)
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Settings saved."))
            return redirect("consultations:edit", consultation.slug)
    return render(
        request,
        "consultations/edit.html",
        {"consultation": consultation, "form": form, "consent": consent},
    )


@login_required
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    _require(request, "consultations.manage", consultation)
    may_assign = has_perm(request.user, "consultations.assign_role", consultation)
    form = RoleForm(request.POST or None) if may_assign else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("consultations.assign_role")
        if form.is_valid():
            try:
                services.assign_role(
                    consultation,
                    form.cleaned_data["user"],
                    form.cleaned_data["role"],
                    actor=request.user,
                )
            except services.ConsultationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Role given."))
                return redirect("consultations:people", consultation.slug)
    return render(
        request,
        "consultations/people.html",
        {
            "consultation": consultation,
            "roles": selectors.roles_of(consultation),
            "form": form,
        },
    )


@login_required
@require_POST
def remove_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    role = selectors.role_in(consultation, pk)
    services.remove_role(role, actor=request.user)  # 403 unless a coordinator
    messages.success(request, _("Role removed."))
    return redirect("consultations:people", consultation.slug)
