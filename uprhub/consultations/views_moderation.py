"""The moderation queue of a consultation and a testimony's moderation page: for the
consultation's moderators only. Thin: the work is in moderation.py."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from uprhub.core.rules import has_perm

from . import moderation, selectors, services, suggesting
from .forms_moderation import PREVIEW, DecisionForm
from .models import Consultation, Testimony, TestimonyStatus

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # original words and choices: never cached
    return response


def _moderated(request: HttpRequest, slug: str) -> Consultation | HttpResponse:
    """The consultation if the user moderates it; the log-in page for visitors; else 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    consultation = selectors.consultation_by_slug(slug)
    if not has_perm(request.user, "consultations.moderate", consultation):
        raise PermissionDenied("consultations.moderate")
    return consultation


def _tab(value: str | None) -> str:
    return value if value in moderation.QUEUE_STATUSES else TestimonyStatus.NEW


def _detail_url(testimony: Testimony, tab: str) -> str:
    url = reverse("consultations:moderate_item", args=[testimony.consultation.slug, testimony.pk])
    return f"{url}?{urlencode({'status': tab})}" if tab != TestimonyStatus.NEW else url


@require_GET
def queue(request: HttpRequest, slug: str) -> HttpResponse:
    found = _moderated(request, slug)
    if isinstance(found, HttpResponse):
        return found
    consultation = found
    tab = _tab(request.GET.get("status"))
    counts = moderation.status_counts(consultation)
    page = Paginator(moderation.queue(consultation, tab), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = dict(TestimonyStatus.choices)
    return _private(
        render(
            request,
            "consultations/moderate_queue.html",
            {
                "consultation": consultation,
                "tab": tab,
                "tab_label": labels[tab],
                "tabs": [(status, labels[status], counts[status]) for status in counts],
                "page": page,
            },
        )
    )


def _suggest_once(testimony: Testimony, user: Any) -> None:
    """Issues and recommendations are suggested when a moderator first opens a testimony,
    not when it is sent: the public form stays fast."""
    if not suggesting.needs_suggestions(testimony):
        return
    try:
        services.suggest_tags(testimony, actor=user)
    except Exception:  # no model, a search error: the page still opens, without suggestions
        logger.exception("Could not make suggestions for testimony %s", testimony.pk)


@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _moderated(request, slug)
    if isinstance(found, HttpResponse):
        return found
    consultation = found
    testimony = selectors.testimony_in(consultation, pk)
    tab = _tab(request.GET.get("status") or request.POST.get("status"))
    context: dict[str, Any] = {"consultation": consultation, "testimony": testimony, "tab": tab}
    previous, following = moderation.neighbours(testimony, tab)
    context.update(
        previous_url=_detail_url(previous, tab) if previous else "",
        next_url=_detail_url(following, tab) if following else "",
        queue_url=reverse("consultations:moderate", args=[slug])
        + (f"?{urlencode({'status': tab})}" if tab != TestimonyStatus.NEW else ""),
        decisions=moderation.decisions_of(testimony),
    )
    if testimony.is_withdrawn:
        # A tombstone: nothing to read, nothing to decide.
        status = 409 if request.method == "POST" else 200
        if request.method == "POST":
            context["error"] = _("This testimony was withdrawn: it cannot be moderated.")
        return _private(render(request, "consultations/moderate_item.html", context, status=status))

    view = moderation.view_original(testimony, actor=request.user)  # logged
    if request.method == "GET":
        _suggest_once(testimony, request.user)
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST, suggestions=len(view.suggestions))
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            decision = form.cleaned_data["decision"]
            try:
                phrases = moderation.clean_phrases(form.phrases())
                if decision == PREVIEW:
                    view = moderation.OriginalView(
                        original=view.original,
                        suggestions=view.suggestions,
                        choices=moderation.Choices(keep=keep, extra=phrases),
                        preview=moderation.preview(
                            testimony, actor=request.user, keep=keep, extra=phrases
                        ),
                    )
                else:
                    expected = form.cleaned_data["version"]
                    if expected is None:
                        raise moderation.StaleDecision(
                            _("This form is out of date: look at the testimony again.")
                        )
                    moderation.decide(
                        testimony,
                        decision,
                        actor=request.user,
                        keep_suggested=keep,
                        extra=phrases,
                        note=form.cleaned_data["note"],
                        expected=expected,
                    )
                    messages.success(
                        request,
                        _("Testimony %(id)s: %(status)s.")
                        % {"id": testimony.pk, "status": testimony.get_status_display()},
                    )
                    waiting = moderation.next_new(consultation, after=testimony)
                    if waiting is None:
                        messages.info(request, _("No testimony is waiting for a decision."))
                        return redirect("consultations:moderate", slug)
                    return redirect(_detail_url(waiting, TestimonyStatus.NEW))
            except moderation.StaleDecision as error:
                context["error"] = str(error)
                status = 409
                testimony.refresh_from_db()
                view = moderation.view_original(testimony, actor=request.user)
                form = _form(testimony, view)
            except moderation.ModerationError as error:
                form.add_error(None, str(error))
                status = 400
        else:
            status = 400
    else:
        form = _form(testimony, view)
    context.update(
        view=view,
        form=form,
        suggestions=_rows(view),
        extra_fields=[form["extra"]],
        note_fields=[form["note"]],
    )
    return _private(render(request, "consultations/moderate_item.html", context, status=status))


def _form(testimony: Testimony, view: moderation.OriginalView) -> DecisionForm:
    return DecisionForm(
        suggestions=len(view.suggestions),
        initial={
            "version": moderation.version_of(testimony),
            "extra": "\n".join(view.choices.extra),
        },
    )


def _rows(view: moderation.OriginalView) -> list[dict[str, Any]]:
    """The suggestion checkboxes: ticked as last decided (every one by default)."""
    kinds = {
        "email": _("e-mail"),
        "phone": _("phone"),
        "address": _("address"),
        "name": _("name"),
    }
    fields = {"text": _("testimony"), "government": _("what the government should do")}
    keep = view.choices.keep
    return [
        {
            "index": s.index,
            "field": fields[s.field],
            "kind": kinds.get(s.span.kind, s.span.kind),
            "text": s.span.text,
            "checked": keep is None or s.index in keep,
        }
        for s in view.suggestions
    ]
