"""Public pages of a consultation: its page, the testimony form, the receipt, "my testimony";
and the moderators' identity view. Thin: the work is in services.py."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from uprhub.core.antispam import client_address, rate_limited
from uprhub.core.exports import csv_writer
from uprhub.core.rules import has_perm

from . import crypto, selectors, services, topics
from .forms import (
    ChangeTestimonyForm,
    FacilitatorForm,
    ReceiptForm,
    SessionForm,
    TestimonyForm,
)
from .models import Consultation, Testimony, TestimonySource


def _private(response: HttpResponse) -> HttpResponse:
    # Pages that show a receipt code or a testimony: never kept by a cache or the browser.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def consultation_page(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    return render(
        request,
        "consultations/consultation.html",
        {
            "consultation": consultation,
            "is_open": consultation.is_open(),
            "sessions": selectors.upcoming_sessions(consultation),
        },
    )


def _initial_language(consultation: Consultation) -> str:
    current = translation.get_language() or "en"
    return current if current in consultation.languages else consultation.languages[0]


@require_http_methods(["GET", "POST"])
@rate_limited("testimony")
def give(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    if not consultation.is_open():
        return render(
            request, "consultations/closed.html", {"consultation": consultation}, status=403
        )
    form = TestimonyForm(
        request.POST or None,
        consultation=consultation,
        initial={"language": _initial_language(consultation)},
    )
    if request.method == "POST":
        if form.is_spam():
            # A receipt like any other, for a testimony that does not exist: a bot learns nothing.
            # (Saying "we are also sending it" when asked, as for a person, so the two pages match.)
            asked = (
                "email_receipt" in form.fields
                and bool(request.POST.get("email_receipt"))
                and bool(request.POST.get("email"))
            )
            return _receipt(request, consultation, crypto.new_receipt_code(), emailed=asked)
        if form.is_valid():
            try:
                _testimony, code = services.submit_testimony(
                    consultation,
                    form.testimony(),
                    form.identity(),
                    access_code=form.cleaned_data.get("access_code", ""),
                    client_address=client_address(request),
                    email_receipt=form.cleaned_data.get("email_receipt", False),
                )
            except services.ConsultationError as error:
                form.add_error(None, str(error))
            else:
                return _receipt(
                    request, consultation, code, form.cleaned_data.get("email_receipt", False)
                )
    return _private(
        render(request, "consultations/give.html", {"consultation": consultation, "form": form})
    )


def _receipt(
    request: HttpRequest, consultation: Consultation, code: str, emailed: bool
) -> HttpResponse:
    # Rendered in answer to the POST (no redirect): the code is in no address and no log,
    # and is never shown again.
    return _private(
        render(
            request,
            "consultations/receipt.html",
            {"consultation": consultation, "code": code, "emailed": emailed},
        )
    )


def _form_from(testimony: Testimony, consultation: Consultation) -> ChangeTestimonyForm:
    # The identity is not shown back: whoever holds the code may replace it, not read it
    # (a code found on paper must not reveal a name).
    original = services.original_of(testimony)
    return ChangeTestimonyForm(
        consultation=consultation,
        initial={
            "text": original["text"],
            "government": original["government"],
            "language": testimony.language,
            "themes": topics.keys_for(testimony.answers.get("themes", [])),
            "quote_anonymously": testimony.quote_anonymously,
            "quote_named": testimony.quote_named,
            "may_contact": testimony.may_contact,
            "fears_reprisals": testimony.fears_reprisals,
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("receipt")
def mine(request: HttpRequest, slug: str) -> HttpResponse:
    """Read, change or withdraw with the receipt code (always POSTed: never in an address)."""
    consultation = selectors.consultation_by_slug(slug)
    receipt = ReceiptForm(request.POST or None)
    context: dict[str, object] = {"consultation": consultation, "receipt": receipt}
    if request.method == "POST" and receipt.is_valid():
        code = receipt.cleaned_data["code"]
        action = request.POST.get("action", "open")
        try:
            testimony = services.find_by_receipt(consultation, code)
            if action == "withdraw":
                if request.POST.get("confirm") != "yes":
                    context.update(testimony=testimony, code=code, confirm_withdraw=True)
                    return _private(render(request, "consultations/mine.html", context))
                withdrawn = services.withdraw_testimony(consultation, code)
                return _private(
                    render(
                        request,
                        "consultations/withdrawn.html",
                        {"consultation": consultation, "testimony": withdrawn},
                    )
                )
            if action == "change":
                form = ChangeTestimonyForm(request.POST, consultation=consultation)
                if form.is_valid():
                    identity = form.identity()
                    testimony = services.change_testimony(
                        consultation,
                        code,
                        form.testimony(),
                        # Empty identity fields keep what was given; "forget" deletes it.
                        identity
                        if not identity.is_empty() or request.POST.get("forget_identity")
                        else None,
                    )
                    context["changed"] = True
                    form = _form_from(testimony, consultation)
            else:
                form = _form_from(testimony, consultation)
            context.update(testimony=testimony, code=code, form=form)
        except services.ConsultationError as error:
            receipt.add_error(
                "code" if isinstance(error, services.UnknownReceipt) else None, str(error)
            )
    return _private(render(request, "consultations/mine.html", context))


@login_required
@require_GET
def identity(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    testimony = selectors.testimony_in(consultation, pk)
    found = services.view_identity(testimony, actor=request.user)  # 403 unless a moderator
    return _private(
        render(
            request,
            "consultations/identity.html",
            {"consultation": consultation, "testimony": testimony, "identity": found},
        )
    )


@login_required
@require_POST
def contacts_download(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderators' audited download of the people who agreed to be contacted (POST: a
    deliberate act, never a link a browser or crawler follows)."""
    consultation = selectors.consultation_by_slug(slug)
    rows = services.contacts_to_download(consultation, actor=request.user)  # 403 unless moderator
    stream = io.StringIO(newline="")
    writer = csv_writer(stream)
    writer.writerow(["id", "language", "name", "email", "phone"])
    for row in rows:
        writer.writerow([row["id"], row["language"], row["name"], row["email"], row["phone"]])
    response = _private(HttpResponse("\ufeff" + stream.getvalue(), content_type="text/csv"))
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-contacts.csv"'
    return response


# --- facilitator mode ------------------------------------------------------------------------


def _facilitated(request: HttpRequest, slug: str) -> Consultation:
    consultation = selectors.consultation_by_slug(slug)
    if not has_perm(request.user, "consultations.facilitate", consultation):
        raise PermissionDenied(_("Only this consultation's facilitators and moderators."))
    return consultation


def _facilitator_form(consultation: Consultation, data: Any = None) -> FacilitatorForm:
    return FacilitatorForm(
        data,
        consultation=consultation,
        initial={"language": _initial_language(consultation), "client_id": uuid.uuid4()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def facilitate(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter testimony for people at an event. With facilitate.js the entries are kept on
    the device and sent to `facilitate_sync`; without it the form posts here."""
    consultation = _facilitated(request, slug)
    form = _facilitator_form(consultation, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            testimony, code = services.submit_testimony(
                consultation,
                form.testimony(),
                form.identity(),
                source=TestimonySource.FACILITATOR,
                entered_by=request.user,
                client_id=form.cleaned_data["client_id"],
                receipt_code=form.cleaned_data["receipt_code"],
            )
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            return _private(
                render(
                    request,
                    "consultations/facilitate_receipt.html",
                    # An empty code: this entry was stored before (the form sent twice).
                    {"consultation": consultation, "code": code, "testimony": testimony},
                )
            )
    return _private(
        render(
            request, "consultations/facilitate.html", {"consultation": consultation, "form": form}
        )
    )


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def facilitate_sync(request: HttpRequest, slug: str) -> JsonResponse:
    """One entry kept on a facilitator's device (JSON), stored once however often it is sent.

    200 with the entry's client_id: stored (now or before), the device may forget it.
    400: the entry is refused (the messages say why); 403: signed out or not a facilitator,
    the device keeps the entry. Never a redirect: the page's script must see what happened."""
    consultation = selectors.consultation_by_slug(slug)
    if not request.user.is_authenticated:
        return _json({"error": "signed_out"}, status=403)
    if not has_perm(request.user, "consultations.facilitate", consultation):
        return _json({"error": "forbidden"}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        return _json({"error": "bad_request", "messages": [_("Not an entry.")]}, status=400)
    data = {key: value for key, value in payload.items() if isinstance(value, str | bool)}
    form = FacilitatorForm(data, consultation=consultation)
    client_id = str(data.get("client_id", ""))[:40]
    if form.is_valid() and not form.cleaned_data["receipt_code"]:
        form.add_error("receipt_code", _("The entry has no receipt code."))
    if not form.is_valid():
        messages = [str(message) for errors in form.errors.values() for message in errors]
        return _json({"client_id": client_id, "error": "invalid", "messages": messages}, 400)
    try:
        services.submit_testimony(
            consultation,
            form.testimony(),
            form.identity(),
            source=TestimonySource.FACILITATOR,
            entered_by=request.user,
            client_id=form.cleaned_data["client_id"],
            receipt_code=form.cleaned_data["receipt_code"],
        )
    except services.ConsultationError as error:
        return _json(
            {"client_id": client_id, "error": "invalid", "messages": [str(error)]}, status=400
        )
    return _json({"client_id": str(form.cleaned_data["client_id"]), "stored": True})


# --- in-person sessions ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    if not has_perm(request.user, "consultations.manage", consultation):
        raise PermissionDenied(_("Only the people who run this consultation."))
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_session(consultation, actor=request.user, **form.cleaned_data)
        except services.ConsultationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Session added."))
            return redirect("consultations:sessions", slug=consultation.slug)
    return render(
        request,
        "consultations/sessions.html",
        {
            "consultation": consultation,
            "form": form,
            "sessions": selectors.sessions_of(consultation),
        },
    )


@login_required
@require_POST
def delete_session(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    consultation = selectors.consultation_by_slug(slug)
    session = selectors.session_in(consultation, pk)
    services.remove_session(session, actor=request.user)  # 403 unless consultations.manage
    messages.success(request, _("Session removed."))
    return redirect("consultations:sessions", slug=consultation.slug)
