"""Calendar pages: the calendar, a State's "What's next", iCalendar feeds, coordinators' edits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from uprhub.core.rules import has_perm

from . import extra, ical, selectors, services
from .forms import DeadlineForm
from .models import Deadline, DeadlineKind
from .selectors import DeadlineEntry

EDIT_PERMISSION = "calendar.set_deadline"  # uprhub.core.rules


def index(request: HttpRequest) -> HttpResponse:
    # The "What's next for…" picker is a plain GET form, so it works without JavaScript.
    code = request.GET.get("state", "").strip()
    if code and (state := selectors.find_state(code)):
        return redirect("calendar:state", code=state.code)
    calendar = selectors.whole_calendar()
    return render(
        request,
        "calendar/index.html",
        {
            "calendar": calendar,
            "states": selectors.states_under_review(),
            "can_edit": has_perm(request.user, EDIT_PERMISSION),
        },
    )


def whats_next(request: HttpRequest, code: str) -> HttpResponse:
    calendar = selectors.state_calendar(code)
    if calendar is None:
        raise Http404(_("No State has the code %(code)s.") % {"code": code})
    if code != calendar.state.code:
        return redirect("calendar:state", code=calendar.state.code, permanent=True)
    return render(
        request,
        "calendar/state.html",
        {
            "calendar": calendar,
            "state": calendar.state,
            "next": calendar.next,
            "countdown": calendar.next.countdown(calendar.now) if calendar.next else None,
            "can_edit": has_perm(request.user, EDIT_PERMISSION),
            # Other apps' events (e.g. consultation sessions) still to come.
            "events": extra.events(calendar.state.code, start=calendar.now),
        },
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def state_feed(request: HttpRequest, code: str) -> HttpResponse:
    state = selectors.find_state(code)
    if state is None:
        raise Http404(_("No State has the code %(code)s.") % {"code": code})
    page = request.build_absolute_uri(reverse("calendar:state", args=[state.code]))
    body = ical.build_calendar(
        selectors.deadlines_for_state(state.code),
        name=_("UPR deadlines: %(state)s") % {"state": state.short_name},
        uid=f"calendar-{state.code.lower()}@uprhub",
        url_for=lambda entry: page,
        events=extra.events(state.code),
        event_url=lambda event: request.build_absolute_uri(event.url) if event.url else "",
    )
    return _ics_response(body, f"upr-{state.code.lower()}.ics")


def all_feed(request: HttpRequest) -> HttpResponse:
    index_url = request.build_absolute_uri(reverse("calendar:index"))

    def url_for(entry: DeadlineEntry) -> str:
        if entry.state_code:
            return request.build_absolute_uri(reverse("calendar:state", args=[entry.state_code]))
        return index_url

    body = ical.build_calendar(
        selectors.feed_entries_all(),
        name=_("UPR calendar: all sessions"),
        uid="calendar-all@uprhub",
        url_for=url_for,
        events=extra.events(),
        event_url=lambda event: request.build_absolute_uri(event.url) if event.url else "",
    )
    return _ics_response(body, "upr-calendar.ics")


# --- Coordinators -------------------------------------------------------------------------


def _check_editor(request: HttpRequest) -> HttpResponse | None:
    """Anonymous users go to the login page; signed-in users without the permission get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_perm(request.user, EDIT_PERMISSION):
        raise PermissionDenied(_("Only coordinators can change deadlines."))
    return None


def _next_url(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _target_url(deadline: Deadline) -> str:
    if deadline.review_id:
        return reverse("calendar:state", args=[deadline.review.state.code])
    return reverse("calendar:index")


@require_http_methods(["GET", "POST"])
def edit_deadline(request: HttpRequest, pk: int) -> HttpResponse:
    if denied := _check_editor(request):
        return denied
    deadline = selectors.deadline_for_edit(pk)
    if deadline is None:
        raise Http404(_("No such deadline."))
    next_url = _next_url(request, _target_url(deadline))
    status = 200
    if request.method == "POST":
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                services.update_deadline(
                    deadline,
                    actor=request.user,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except services.StaleDeadline as stale:
                messages.error(
                    request,
                    _(
                        "Someone else changed this deadline while you were editing it. Their "
                        "version is shown below; your values are still in the form. Save "
                        "again to replace theirs."
                    ),
                )
                current = stale.deadline
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = DeadlineForm(data)
                deadline = selectors.deadline_for_edit(pk) or current
                status = 409
            except services.InvalidDeadline as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Deadline saved."))
                return redirect(next_url)
    else:
        form = DeadlineForm(initial=_initial_from_row(deadline))
    return render(
        request,
        "calendar/deadline_form.html",
        {
            "form": form,
            "deadline": deadline,
            "kind_label": deadline.get_kind_display(),
            "session_number": deadline.session_number,
            "state": deadline.review.state if deadline.review_id else None,
            "changes": deadline.changes.select_related("changed_by")[:10],
            "next_url": next_url,
        },
        status=status,
    )


def _initial_from_row(deadline: Deadline) -> dict:
    entry = DeadlineEntry(
        kind=deadline.kind,
        session=deadline.session_number,
        due=deadline.due,
        all_day=deadline.all_day,
        time_zone=deadline.time_zone,
        is_estimated=deadline.is_estimated,
        cancelled=deadline.cancelled,
        source_note=deadline.source_note,
        scope=selectors.Scope.REVIEW if deadline.review_id else selectors.Scope.SESSION,
        version=deadline.version,
    )
    return DeadlineForm.initial_for(entry)


@require_http_methods(["GET", "POST"])
def set_deadline(
    request: HttpRequest, session: int, kind: str, code: str | None = None
) -> HttpResponse:
    """Store a date where the calendar shows an estimate: for a whole session or one review."""
    if denied := _check_editor(request):
        return denied
    if kind not in DeadlineKind.values:
        raise Http404(_("Unknown kind of deadline."))
    session_obj = selectors.session_by_number(session)
    if session_obj is None:
        raise Http404(_("No session has this number."))
    review = None
    if code is not None:
        review = selectors.review_in_session(code, session_obj)
        if review is None:
            raise Http404(_("This State is not reviewed in this session."))
        entries = selectors.entries_for_reviews([review])
        fallback = reverse("calendar:state", args=[review.state.code])
    else:
        entries = selectors.entries_for_sessions([session_obj])
        fallback = reverse("calendar:index")
    existing = selectors.stored_deadline(kind, session=session_obj, review=review)
    next_url = _next_url(request, fallback)
    if existing is not None:
        query = urlencode({"next": next_url})
        return redirect(f"{reverse('calendar:edit', args=[existing.pk])}?{query}")
    current = next((e for e in entries if e.kind == kind), None)

    if request.method == "POST":
        form = DeadlineForm(request.POST)
        if form.is_valid():
            try:
                services.set_deadline(
                    actor=request.user,
                    kind=kind,
                    values=form.values(),
                    session=None if review else session_obj,
                    review=review,
                )
            except IntegrityError:
                messages.error(request, _("Someone stored this deadline meanwhile; edit theirs."))
                return redirect(request.get_full_path())
            except services.InvalidDeadline as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Deadline saved."))
                return redirect(next_url)
    else:
        initial = DeadlineForm.initial_for(current) if current else {}
        initial["version"] = None
        # An estimate's note would be empty: the coordinator must name the real source.
        if current is not None and current.scope == selectors.Scope.ESTIMATE:
            initial["source_note"] = ""
        form = DeadlineForm(initial=initial)
    return render(
        request,
        "calendar/deadline_form.html",
        {
            "form": form,
            "deadline": None,
            "entry": current,
            "kind_label": dict(DeadlineKind.choices)[kind],
            "session_number": session_obj.number,
            "state": review.state if review else None,
            "changes": [],
            "next_url": next_url,
        },
    )
