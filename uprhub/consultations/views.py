"""Public pages of a consultation: its page, the testimony form, the receipt, "my testimony";
and the moderators' identity view. Thin: the work is in services.py."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods

from uprhub.core.antispam import client_address, rate_limited

from . import crypto, selectors, services
from .forms import ChangeTestimonyForm, ReceiptForm, TestimonyForm
from .models import Consultation, Testimony


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
        {"consultation": consultation, "is_open": consultation.is_open()},
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
            asked = bool(request.POST.get("email_receipt")) and bool(request.POST.get("email"))
            return _receipt(request, consultation, crypto.new_receipt_code(), emailed=asked)
        if form.is_valid():
            try:
                _testimony, code = services.submit_testimony(
                    consultation,
                    form.testimony(),
                    form.identity(),
                    access_code=form.cleaned_data.get("access_code", ""),
                    client_address=client_address(request),
                    email_receipt=form.cleaned_data["email_receipt"],
                )
            except services.ConsultationError as error:
                form.add_error(None, str(error))
            else:
                return _receipt(request, consultation, code, form.cleaned_data["email_receipt"])
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
