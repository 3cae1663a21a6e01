"""Pages of assessment rounds: the list, creating and editing one, its overview, closing and
reopening, and who takes part. Thin: the work is in `rounds.py`, the reads in
`round_selectors.py`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from uprhub.core.rules import has_perm, perm_required

from .. import evidence_jobs, evidence_store, implementation_report, round_selectors, rounds
from ..forms_rounds import EditRoundForm, NewRoundForm, OrganisationForm, RoleForm
from ..models import AssessmentRound, RoundRoleKind
from ..selectors import EvidenceError

PAGE_SIZE = 25
SORTS = {
    "as_of": ("-as_of", "-pk"),
    "name": ("name", "pk"),
    "due": ("assessments_due", "pk"),
}


def _require(request: HttpRequest, perm: str, round_: AssessmentRound) -> None:
    if not has_perm(request.user, perm, round_):
        raise PermissionDenied(perm)


def work_path(round_: AssessmentRound) -> str:
    return reverse("followup:work", args=[round_.slug])


def scorecard_path(round_: AssessmentRound) -> str:
    review = round_.review
    return f"/followup/{review.state.iso3}/{review.session.cycle_id}/"


@require_http_methods(["GET"])
@perm_required("followup.view_work")
def index(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "as_of")
    if sort not in SORTS:
        sort = "as_of"
    rows = round_selectors.rounds_for(request.user).order_by(*SORTS[sort])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/rounds/index.html",
        {
            "page": page,
            "sort": sort,
            "may_manage": has_perm(request.user, "followup.manage_round"),
        },
    )


@require_http_methods(["GET", "POST"])
@perm_required("followup.manage_round")
def create(request: HttpRequest) -> HttpResponse:
    form = NewRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.create_round(
                request.user, slug=form.cleaned_data.get("slug") or None, **form.values()
            )
        except rounds.RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Round created. Next: choose who takes part."))
            return redirect("followup:round_people", round_.slug)
    return render(
        request,
        "followup/rounds/form.html",
        {"form": form, "round": None, "scales": round_selectors.scales()},
    )


@require_http_methods(["GET", "POST"])
@perm_required("followup.manage_round")
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = round_selectors.round_by_slug(slug)
    form = EditRoundForm(request.POST or None, initial=EditRoundForm.initial_for(round_))
    stale: AssessmentRound | None = None
    if request.method == "POST" and form.is_valid():
        try:
            rounds.update_round(
                request.user, round_, version=form.cleaned_data["version"], **form.values()
            )
        except rounds.StaleRound as error:
            # Keep the person's input on the page, beside the other person's values, with the
            # new version so a second save is a deliberate overwrite.
            stale = error.current
            data = request.POST.copy()
            data["version"] = str(stale.version)
            form = EditRoundForm(data, initial=EditRoundForm.initial_for(stale))
            form.is_valid()
            form.add_error(None, str(error))
        except rounds.RoundError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Round saved."))
            return redirect(round_)
    return render(
        request,
        "followup/rounds/form.html",
        {"form": form, "round": round_, "stale": stale, "scales": round_selectors.scales()},
    )


def _dates(round_: AssessmentRound, today: date) -> list[dict[str, Any]]:
    rows = []
    for label, value, deadline in (
        (_("Assessed as of"), round_.as_of, False),
        (_("Assessments due"), round_.assessments_due, True),
        (_("Review due"), round_.review_due, True),
        (_("Publication planned"), round_.publish_on, True),
    ):
        if value is not None:
            days = (value - today).days
            rows.append(
                {"label": label, "date": value, "deadline": deadline, "days": days, "ago": -days}
            )
    return rows


@login_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = round_selectors.round_by_slug(slug)
    _require(request, "followup.view_work", round_)
    today = timezone.localdate()
    return render(
        request,
        "followup/rounds/detail.html",
        {
            "round": round_,
            "review_label": round_selectors.review_label(round_.review),
            "grades": list(round_.scale.grades.all()),
            "dates": _dates(round_, today),
            "roles": round_selectors.roles_of(round_),
            "work_url": work_path(round_),
            "scorecard_url": scorecard_path(round_),
            "may_manage": has_perm(request.user, "followup.manage_round", round_),
            "has_published": implementation_report.has_published(round_),
            "evidence": evidence_store.suggestion_status(round_.review),
        },
    )


@require_POST
@perm_required("followup.manage_round")
def compute_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """Coordinators: compute the evidence suggestions of the round's review (in the background)."""
    round_ = round_selectors.round_by_slug(slug)
    try:
        evidence_jobs.request_suggestions(request.user, round_.review)
    except EvidenceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "The evidence suggestions are being computed (about a minute for 350 "
                "recommendations). They appear on each recommendation's page."
            ),
        )
    return redirect(round_)


@require_POST
@perm_required("followup.manage_round")
def close(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = round_selectors.round_by_slug(slug)
    rounds.close_round(request.user, round_)
    messages.success(request, _("Round closed: it takes no more changes and sends no reminders."))
    return redirect(round_)


@require_POST
@perm_required("followup.manage_round")
def reopen(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = round_selectors.round_by_slug(slug)
    rounds.reopen_round(request.user, round_)
    messages.success(request, _("Round reopened."))
    return redirect(round_)


@require_http_methods(["GET", "POST"])
@perm_required("followup.manage_round")
def people(request: HttpRequest, slug: str) -> HttpResponse:
    """Step one: a person and a role. An assessor then needs one of their organisations
    (step two, the same page with only that person's organisations offered)."""
    round_ = round_selectors.round_by_slug(slug)
    form = RoleForm(request.POST or None)
    organisation_form: OrganisationForm | None = None
    if request.method == "POST" and form.is_valid():
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        organisation = None
        ready = True
        if role == RoundRoleKind.ASSESSOR:
            organisation_form = OrganisationForm(
                request.POST if "organisation" in request.POST else None, user=user
            )
            if not round_selectors.organisations_of(user).exists():
                form.add_error(
                    "user",
                    _(
                        "This person is a member of no organisation: an assessor assesses for "
                        "one. Add them to their organisation first."
                    ),
                )
                organisation_form, ready = None, False
            elif organisation_form.is_bound and organisation_form.is_valid():
                organisation = organisation_form.cleaned_data["organisation"]
            else:
                ready = False
        if ready:
            try:
                rounds.add_role(request.user, round_, user, role, organisation)
            except rounds.RoundError as error:
                form.add_error(None, str(error))
                organisation_form = None
            else:
                messages.success(request, _("Role given."))
                return redirect("followup:round_people", round_.slug)
    return render(
        request,
        "followup/rounds/people.html",
        {
            "round": round_,
            "roles": round_selectors.roles_of(round_),
            "form": form,
            "organisation_form": organisation_form,
            "chosen": form.cleaned_data.get("user") if organisation_form else None,
        },
    )


@require_POST
@perm_required("followup.manage_round")
def remove_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round_ = round_selectors.round_by_slug(slug)
    role = round_selectors.role_in(round_, pk)
    rounds.remove_role(request.user, role)
    messages.success(request, _("Role removed."))
    return redirect("followup:round_people", round_.slug)
