"""Accepting or rejecting a stored evidence suggestion (POST from the recommendation page's
suggestions, ``followup/evidence/_suggestions.html``). Thin: the work is in
``evidence_services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uprhub.core.rules import has_perm

from .. import selectors
from ..evidence_services import EvidenceDecisionError, accept_suggestion, reject_suggestion
from ..models import Assessment, AssessmentRound, EvidenceSuggestion, Position

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _user(request: HttpRequest) -> User:
    # The views are behind login_required: the person is signed in.
    return cast("User", request.user)


def _safe_next(request: HttpRequest, round_: AssessmentRound) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    try:
        return reverse("followup:round", args=[round_.slug])
    except NoReverseMatch:  # the rounds' pages are another area's; until they are there
        return "/"


def _suggestion(round_: AssessmentRound, pk: int) -> EvidenceSuggestion:
    suggestion = selectors.suggestion_in_round(round_, pk)
    if suggestion is None:
        raise Http404(_("There is no such suggestion in this round."))
    return suggestion


def _round_for(request: HttpRequest, slug: str) -> AssessmentRound:
    round_ = selectors.round_by_slug(slug)
    if round_ is None:
        raise Http404(_("There is no such assessment round."))
    # Who takes no part in the round learns nothing of its suggestions (closed or not); the
    # services judge the rest (a coordinator without a role in the round is refused there).
    if not has_perm(request.user, "followup.view_work", round_):
        raise PermissionDenied("followup.view_work")
    return round_


def _owner(
    request: HttpRequest, round_: AssessmentRound, suggestion: EvidenceSuggestion
) -> Position | Assessment | None:
    """The position or assessment the form names: the coalition's position on the
    recommendation, or the assessment of one of the organisations the person assesses for."""
    wanted = request.POST.get("assessment", "")
    return selectors.evidence_owner(
        round_,
        suggestion,
        _user(request),
        into=request.POST.get("into", ""),
        assessment_id=int(wanted) if wanted.isdigit() else None,
    )


@login_required
@require_POST
def accept(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round_ = _round_for(request, slug)
    suggestion = _suggestion(round_, pk)
    owner = _owner(request, round_, suggestion)
    back = _safe_next(request, round_)
    if owner is None:
        messages.error(
            request,
            _("The coalition has no position on this recommendation yet: draft one first.")
            if request.POST.get("into") == "position"
            else _("Your organisation has not assessed this recommendation yet: grade it first."),
        )
        return redirect(back)
    try:
        item = accept_suggestion(_user(request), suggestion, owner)
    except EvidenceDecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Added as evidence: %(item)s.") % {"item": item},
        )
    return redirect(back)


@login_required
@require_POST
def reject(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    round_ = _round_for(request, slug)
    suggestion = _suggestion(round_, pk)
    back = _safe_next(request, round_)
    try:
        reject_suggestion(_user(request), suggestion, round_)
    except EvidenceDecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Suggestion rejected: %(symbol)s, para. %(paragraph)s will not be suggested again.")
            % {"symbol": suggestion.document.symbol, "paragraph": suggestion.paragraph},
        )
    return redirect(back)
