"""Accept or reject a machine suggestion (members only), then go back to the recommendation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from uprhub.core.rules import perm_required
from uprhub.recommendations.models import Suggestion, SuggestionKind

from . import selectors, services


def _back(request: HttpRequest, suggestion: Suggestion) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = suggestion.recommendation.get_absolute_url() + "#suggestions"
    return HttpResponseRedirect(target)


def _describe(suggestion: Suggestion) -> str:
    if suggestion.kind == SuggestionKind.ISSUE:
        return _("the issue “%(name)s”") % {"name": suggestion.value_label}
    return _("the action category “%(name)s”") % {"name": suggestion.value_label}


def _decide(request: HttpRequest, pk: int, decide, done_message) -> HttpResponse:
    """Accept or reject one suggestion, then go back to where the member came from."""
    suggestion = selectors.suggestion(pk)
    if suggestion is None:
        raise Http404
    try:
        decide(suggestion, actor=request.user)
    except services.SuggestionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done_message % {"what": _describe(suggestion)})
    return _back(request, suggestion)


@require_POST
@perm_required("classifier.review_suggestion")
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.accept, _("You accepted %(what)s: it is now a label."))


@require_POST
@perm_required("classifier.review_suggestion")
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        services.reject,
        _("You rejected %(what)s; it will not be suggested again."),
    )
