"""Moderators' decisions on a testimony's issues and recommendations, and the synthesis page.

Thin: the services check the permission again; these views only find objects and go back.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from uprhub.core.rules import has_perm
from uprhub.recommendations.models import Recommendation, Theme

from . import selectors, services, synthesis
from .models import Testimony, TestimonyTag


def _back(request: HttpRequest, testimony: Testimony) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse(
            "consultations:moderate_item", args=[testimony.consultation.slug, testimony.pk]
        )
    return HttpResponseRedirect(target)


def _testimony(request: HttpRequest, slug: str, pk: int) -> Testimony:
    consultation = selectors.consultation_by_slug(slug)
    testimony = selectors.testimony_in(consultation, pk)
    if not has_perm(request.user, "consultations.tag", testimony):
        raise PermissionDenied("consultations.tag")
    return testimony


def _decide(request: HttpRequest, slug: str, pk: int, tag_id: int, decide, done: str):
    testimony = _testimony(request, slug, pk)
    tag = get_object_or_404(TestimonyTag, pk=tag_id, testimony=testimony)
    try:
        decide(tag, actor=request.user)
    except services.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(request, testimony)


@login_required
@require_POST
def accept_tag(request: HttpRequest, slug: str, pk: int, tag_id: int) -> HttpResponse:
    return _decide(request, slug, pk, tag_id, services.accept_tag, _("Accepted."))


@login_required
@require_POST
def reject_tag(request: HttpRequest, slug: str, pk: int, tag_id: int) -> HttpResponse:
    return _decide(
        request,
        slug,
        pk,
        tag_id,
        services.reject_tag,
        _("Rejected: it will not be suggested again."),
    )


@login_required
@require_POST
def add_tag(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    testimony = _testimony(request, slug, pk)
    theme_id = request.POST.get("theme", "")
    rec_id = request.POST.get("recommendation", "")
    try:
        if theme_id.isdigit():
            services.add_tag(
                testimony, actor=request.user, theme=get_object_or_404(Theme, pk=int(theme_id))
            )
        elif rec_id.isdigit():
            services.add_tag(
                testimony,
                actor=request.user,
                recommendation=get_object_or_404(Recommendation, pk=int(rec_id)),
            )
        else:
            raise services.TagError(_("Choose an issue to add."))
    except services.ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Added."))
    return _back(request, testimony)


@login_required
@require_POST
def suggest_tags(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    testimony = _testimony(request, slug, pk)
    services.suggest_tags(testimony, actor=request.user)
    return _back(request, testimony)


@login_required
@require_GET
def synthesis_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    if not has_perm(request.user, "consultations.view_results", consultation):
        raise PermissionDenied("consultations.view_results")
    return render(
        request,
        "consultations/synthesis.html",
        {"consultation": consultation, "synthesis": synthesis.build(consultation)},
    )
