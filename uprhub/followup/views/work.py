"""The assessors' and reviewers' pages of a round: the work list, one recommendation, one
cluster, the review queue. Thin: the forms shape input, `services` decide and write."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uprhub.accounts.models import Organisation
from uprhub.core.roles import is_coordinator
from uprhub.core.rules import has_perm, perm_required
from uprhub.recommendations.models import Recommendation

from .. import progress, services
from ..forms_work import (
    AssessmentForm,
    ClusterForm,
    EvidenceForm,
    PositionForm,
    TransitionForm,
    WorkFilterForm,
)
from ..models import (
    Assessment,
    AssessmentRound,
    Position,
    PositionStatus,
)
from ..policy import is_reviewer
from ..selectors import suggestions_context


def _actor(request: HttpRequest) -> Any:
    """The signed-in person doing a write (the services judge them, anonymous included)."""
    return request.user


def _round(request: HttpRequest, slug: str) -> AssessmentRound:
    round_ = progress.round_by_slug(slug)
    if round_ is None:
        raise Http404
    if not has_perm(request.user, "followup.view_work", round_):
        raise PermissionDenied("followup.view_work")
    return round_


def _my_organisations(request: HttpRequest, round_: AssessmentRound) -> list[Organisation]:
    """The organisations this person assesses for in the round."""
    return progress.organisations_assessed_by(request.user, round_)


@perm_required("followup.view_work")
def work(request: HttpRequest, slug: str) -> HttpResponse:
    """The round's recommendations with their assessments and the coalition's position."""
    round_ = _round(request, slug)
    filters = WorkFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    listing = progress.work_list(
        round_,
        group=data.get("group") or "theme",
        status=data.get("status") or "",
        theme=data.get("theme"),
        response=data.get("response") or "",
        descending=data.get("order") == "desc",
        page=request.GET.get("page") or 1,
    )
    filters = WorkFilterForm(request.GET or None, themes=listing.themes)
    if filters.is_bound:
        filters.is_valid()
    return render(
        request,
        "followup/work/list.html",
        {
            "round": round_,
            "listing": listing,
            "page": listing.page,
            "filters": filters,
            "progress": progress.round_progress(round_),
            "grouping": data.get("group") or "theme",
            "may_review": has_perm(request.user, "followup.review", round_),
        },
    )


def _recommendation(round_: AssessmentRound, pk: int) -> Recommendation:
    rec = progress.recommendation_in_round(round_, pk)
    if rec is None:
        raise Http404
    return rec


def _position_of(round_: AssessmentRound, rec: Recommendation) -> Position | None:
    return progress.position_of(round_, rec)


def _recommendation_page(
    request: HttpRequest,
    round_: AssessmentRound,
    rec: Recommendation,
    *,
    assessment_form: AssessmentForm | None = None,
    position_form: PositionForm | None = None,
    evidence_form: EvidenceForm | None = None,
    conflict: services.ConflictError | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    assessments = progress.assessments_of(round_, rec)
    mine = _my_organisations(request, round_)
    position = _position_of(round_, rec)
    own = {a.organisation_id: a for a in assessments}
    mine_ids = {o.pk for o in mine}
    for assessment in assessments:
        assessment.is_mine = assessment.organisation_id in mine_ids  # type: ignore[attr-defined]
    if assessment_form is None and mine:
        first = own.get(mine[0].pk)
        assessment_form = AssessmentForm(
            round_=round_,
            organisations=mine,
            initial={
                "organisation": mine[0].pk,
                "grade": first.grade_id if first else None,
                "rationale": first.rationale if first else "",
                "as_of": first.as_of if first else round_.as_of,
                "version": first.version if first else None,
            },
        )
    may_draft = position is None and has_perm(request.user, "followup.draft_position", round_)
    if position is not None:
        if position.status == PositionStatus.IN_REVIEW:
            may_edit = has_perm(request.user, "followup.review", position)
        else:
            may_edit = has_perm(request.user, "followup.draft_position", position)
    else:
        may_edit = may_draft
    if position_form is None and may_edit:
        position_form = PositionForm(
            round_=round_,
            initial={
                "grade": position.grade_id if position else None,
                "rationale": position.rationale if position else "",
                "as_of": position.as_of if position else round_.as_of,
                "version": position.version if position else None,
            },
        )
    may_review = has_perm(request.user, "followup.review", round_)
    transitions = []
    if position is not None:
        if position.status == PositionStatus.DRAFT and has_perm(
            request.user, "followup.draft_position", position
        ):
            transitions.append(("submit", _("Send for review")))
        if position.status == PositionStatus.IN_REVIEW and may_review:
            transitions.append(("publish", _("Publish")))
        if position.status != PositionStatus.DRAFT and may_review:
            transitions.append(("send_back", _("Send back to draft")))
    return render(
        request,
        "followup/work/recommendation.html",
        {
            "round": round_,
            "recommendation": rec,
            "assessments": assessments,
            "disagreement": len({a.grade_id for a in assessments}) > 1,
            "my_organisations": mine,
            "my_assessments": [own[o.pk] for o in mine if o.pk in own],
            "assessment_form": assessment_form,
            "position": position,
            "position_form": position_form,
            "may_edit_position": may_edit,
            "transitions": transitions,
            "evidence_form": evidence_form or EvidenceForm(),
            "conflict": conflict,
            "error": error,
            "suggestions_enabled": True,
            "clusters": progress.clusters_of(round_, rec),
            **suggestions_context(round_, rec, request.user),
        },
        status=status,
    )


@perm_required("followup.view_work")
def recommendation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One recommendation in the round: everyone's assessments, the forms this person may use."""
    round_ = _round(request, slug)
    rec = _recommendation(round_, pk)
    if request.method != "POST":
        return _recommendation_page(request, round_, rec)
    action = request.POST.get("action", "")
    handler = _ACTIONS.get(action)
    if handler is None:
        return _recommendation_page(request, round_, rec, error=_("Unknown action."), status=400)
    return handler(request, round_, rec)


def _back(round_: AssessmentRound, rec: Recommendation, anchor: str = "") -> HttpResponse:
    url = reverse("followup:recommendation", args=[round_.slug, rec.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _save_assessment(
    request: HttpRequest, round_: AssessmentRound, rec: Recommendation
) -> HttpResponse:
    mine = _my_organisations(request, round_)
    if not mine:
        raise PermissionDenied("followup.assess")
    form = AssessmentForm(request.POST, round_=round_, organisations=mine)
    if not form.is_valid():
        return _recommendation_page(request, round_, rec, assessment_form=form, status=400)
    organisation = next(o for o in mine if o.pk == form.cleaned_data["organisation"])
    try:
        services.save_assessment(
            _actor(request),
            round_,
            rec,
            organisation,
            grade=form.cleaned_data["grade"],
            rationale=form.cleaned_data["rationale"],
            as_of=form.cleaned_data["as_of"],
            version=form.cleaned_data["version"],
        )
    except services.ConflictError as clash:
        # Keep the person's text; the next save starts from the stored version.
        data = request.POST.copy()
        data["version"] = str(clash.current.version)
        form = AssessmentForm(data, round_=round_, organisations=mine)
        form.is_valid()
        return _recommendation_page(
            request, round_, rec, assessment_form=form, conflict=clash, status=409
        )
    except services.FollowupError as refused:
        form.add_error(None, str(refused))
        return _recommendation_page(request, round_, rec, assessment_form=form, status=400)
    messages.success(request, _("Your organisation's assessment is saved."))
    return _back(round_, rec, "assessments")


def _save_position(
    request: HttpRequest, round_: AssessmentRound, rec: Recommendation
) -> HttpResponse:
    form = PositionForm(request.POST, round_=round_)
    if not form.is_valid():
        return _recommendation_page(request, round_, rec, position_form=form, status=400)
    try:
        services.save_position(
            _actor(request),
            round_,
            rec,
            grade=form.cleaned_data["grade"],
            rationale=form.cleaned_data["rationale"],
            as_of=form.cleaned_data["as_of"],
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except services.ConflictError as clash:
        data = request.POST.copy()
        data["version"] = str(clash.current.version) if clash.current else ""
        form = PositionForm(data, round_=round_)
        form.is_valid()
        return _recommendation_page(
            request, round_, rec, position_form=form, conflict=clash, status=409
        )
    except services.FollowupError as refused:
        form.add_error(None, str(refused))
        return _recommendation_page(request, round_, rec, position_form=form, status=400)
    messages.success(request, _("The coalition's position is saved."))
    return _back(round_, rec, "position")


def _transition(request: HttpRequest, round_: AssessmentRound, rec: Recommendation) -> HttpResponse:
    position = _position_of(round_, rec)
    form = TransitionForm(request.POST)
    if position is None or not form.is_valid():
        return _recommendation_page(
            request, round_, rec, error=_("Nothing to change: reload the page."), status=400
        )
    action, version, note = (
        form.cleaned_data["transition"],
        form.cleaned_data["version"],
        form.cleaned_data["note"],
    )
    try:
        if action == "submit":
            services.submit_for_review(_actor(request), position, version=version, note=note)
            done = _("The position is sent for review.")
        elif action == "publish":
            services.publish(_actor(request), position, version=version, note=note)
            done = _("The position is published.")
        else:
            services.send_back(_actor(request), position, version=version, note=note)
            done = _("The position is back to draft.")
    except services.ConflictError as clash:
        return _recommendation_page(request, round_, rec, conflict=clash, status=409)
    except services.FollowupError as refused:
        return _recommendation_page(request, round_, rec, error=str(refused), status=400)
    messages.success(request, done)
    return _back(round_, rec, "position")


def _owner(round_: AssessmentRound, rec: Recommendation, key: str) -> Assessment | Position:
    found = progress.evidence_owner_in(round_, rec, key)
    if found is None:
        raise Http404
    return found


def _add_evidence(
    request: HttpRequest, round_: AssessmentRound, rec: Recommendation
) -> HttpResponse:
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _recommendation_page(request, round_, rec, evidence_form=form, status=400)
    owner = _owner(round_, rec, form.cleaned_data["owner"])
    try:
        services.add_evidence(_actor(request), owner, **form.evidence_fields())
    except services.FollowupError as refused:
        form.add_error(None, str(refused))
        return _recommendation_page(request, round_, rec, evidence_form=form, status=400)
    messages.success(request, _("The evidence is added."))
    return _back(round_, rec, "evidence")


def _remove_evidence(
    request: HttpRequest, round_: AssessmentRound, rec: Recommendation
) -> HttpResponse:
    item_id = request.POST.get("item", "")
    item = progress.evidence_item_in(round_, rec, int(item_id) if item_id.isdigit() else 0)
    if item is None:
        raise Http404
    try:
        services.remove_evidence(_actor(request), item)
    except services.FollowupError as refused:
        return _recommendation_page(request, round_, rec, error=str(refused), status=400)
    messages.success(request, _("The evidence is removed."))
    return _back(round_, rec, "evidence")


def _adopt(request: HttpRequest, round_: AssessmentRound, rec: Recommendation) -> HttpResponse:
    key = request.POST.get("assessment", "")
    assessment = progress.assessment_in(round_, rec, int(key) if key.isdigit() else 0)
    if assessment is None:
        raise Http404
    position = _position_of(round_, rec)
    version_text = request.POST.get("version", "")
    version = int(version_text) if version_text.isdigit() else None
    try:
        services.adopt_assessment(
            _actor(request), position or round_, assessment, version=version, recommendation=rec
        )
    except services.ConflictError as clash:
        return _recommendation_page(request, round_, rec, conflict=clash, status=409)
    except services.FollowupError as refused:
        return _recommendation_page(request, round_, rec, error=str(refused), status=400)
    messages.success(
        request,
        _("%(organisation)s's assessment is now the coalition's draft.")
        % {"organisation": assessment.organisation.name},
    )
    return _back(round_, rec, "position")


_ACTIONS = {
    "assessment": _save_assessment,
    "position": _save_position,
    "transition": _transition,
    "add_evidence": _add_evidence,
    "remove_evidence": _remove_evidence,
    "adopt": _adopt,
}


@perm_required("followup.view_work")
def cluster(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A cluster in one step: the common grade and rationale, an override row per
    recommendation, for the person's organisation or the coalition's drafts."""
    round_ = _round(request, slug)
    group = progress.cluster_in(round_, pk)
    if group is None:
        raise Http404
    recs = progress.cluster_recommendations(group)
    mine = _my_organisations(request, round_)
    targets = [
        (f"organisation-{o.pk}", _("%(name)s's assessment") % {"name": o.name}) for o in mine
    ]
    if has_perm(request.user, "followup.draft_position", round_):
        targets.append(("position", _("The coalition's draft position")))
    if not targets:
        raise PermissionDenied("followup.assess")
    conflict: services.ConflictError | None = None
    status = 200
    if request.method == "POST":
        form = ClusterForm(request.POST, round_=round_, recommendations=recs, targets=targets)
        if form.is_valid():
            target = form.cleaned_data["target"]
            organisation = next((o for o in mine if f"organisation-{o.pk}" == target), None)
            try:
                saved = services.assess_cluster(
                    _actor(request),
                    round_,
                    group,
                    target="position" if target == "position" else "organisation",
                    organisation=organisation,
                    grade=form.cleaned_data["grade"],
                    rationale=form.cleaned_data["rationale"],
                    as_of=form.cleaned_data["as_of"],
                    overrides=form.overrides(),
                    versions=form.versions(),
                )
            except services.ConflictError as clash:
                conflict, status = clash, 409
                # Keep the person's entries; the next save starts from what is stored now.
                data = request.POST.copy()
                data["seen"] = _cluster_seen(round_, recs, targets)
                form = ClusterForm(data, round_=round_, recommendations=recs, targets=targets)
                form.is_valid()
            except services.FollowupError as refused:
                form.add_error(None, str(refused))
                status = 400
            else:
                messages.success(
                    request,
                    _("%(n)s recommendations of the cluster are assessed.") % {"n": len(saved)},
                )
                return redirect(reverse("followup:cluster", args=[round_.slug, group.pk]))
        else:
            status = 400
    else:
        form = ClusterForm(
            round_=round_,
            recommendations=recs,
            targets=targets,
            initial={"target": targets[0][0], "as_of": round_.as_of},
        )
    if not form.is_bound:
        form.initial["seen"] = _cluster_seen(round_, recs, targets)
    current = progress.cluster_current(round_, recs)
    rows = form.rows()
    for row in rows:
        row["now"] = current[row["recommendation"].pk]
    drafts = [
        row["now"]["position"]
        for row in rows
        if row["now"].get("position") is not None
        and row["now"]["position"].status == PositionStatus.DRAFT
    ]
    return render(
        request,
        "followup/work/cluster.html",
        {
            "round": round_,
            "cluster": group,
            "form": form,
            "rows": rows,
            "conflict": conflict,
            "drafts": drafts if has_perm(request.user, "followup.draft_position", round_) else [],
        },
        status=status,
    )


def _cluster_seen(
    round_: AssessmentRound, recs: list[Recommendation], targets: list[tuple[str, str]]
) -> str:
    """The versions the page starts from, for every target offered (a hidden field)."""
    return json.dumps(progress.cluster_seen(round_, recs, [key for key, _label in targets]))


@perm_required("followup.view_work")
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """Positions in review, each beside the organisations' assessments (reviewers)."""
    round_ = _round(request, slug)
    # Reading the queue needs the reviewer's role, not an open round.
    if not (is_reviewer(request.user, round_) or is_coordinator(request.user)):
        raise PermissionDenied("followup.review")
    positions = progress.review_queue(round_)
    page = Paginator(positions, 50).get_page(request.GET.get("page"))
    return render(request, "followup/work/review_queue.html", {"round": round_, "page": page})


def _seen_positions(request: HttpRequest) -> dict[int, int]:
    """The positions ticked on the page, each with the version it showed."""
    seen: dict[int, int] = {}
    for raw in request.POST.getlist("position"):
        if raw.isdigit() and request.POST.get(f"version_{raw}", "").isdigit():
            seen[int(raw)] = int(request.POST[f"version_{raw}"])
    return seen


@perm_required("followup.view_work")
@require_POST
def bulk_transition(request: HttpRequest, slug: str) -> HttpResponse:
    """Many positions at once: publish or send back the ticked ones of the review queue, send
    a cluster's drafts for review. All or nothing (`services.transition_many`)."""
    round_ = _round(request, slug)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("followup:review_queue", args=[round_.slug])
    action = request.POST.get("action", "")
    try:
        done = services.transition_many(
            _actor(request),
            round_,
            action,
            _seen_positions(request),
            note=request.POST.get("note", ""),
        )
    except services.FollowupError as refused:
        messages.error(request, str(refused))
    else:
        done_text = {
            "submit": _("%(n)s positions were sent for review."),
            "publish": _("%(n)s positions were published."),
            "send_back": _("%(n)s positions went back to draft."),
        }[action]
        messages.success(request, done_text % {"n": len(done)})
    return redirect(back)
