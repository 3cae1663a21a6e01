"""A person's own data: the "your data" page, the download, and deleting the account.

Thin views over `uprhub.accounts.privacy`; the public privacy notice is `uprhub.site`'s.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import privacy
from .permissions import login_required


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that my account and personal data are deleted for good."),
    )


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/your_data.html",
        {
            "form": DeleteAccountForm(),
            "blockers": privacy.blockers(request.user),
        },
    )


@login_required
@require_POST
def download(request: HttpRequest) -> HttpResponse:
    """Everything stored about the signed-in person, as one JSON file."""
    body = json.dumps(privacy.personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"uprhub-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            privacy.delete_account(request.user, password=form.cleaned_data["password"])
        except PermissionDenied as exc:
            form.add_error("password", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            logout(request)
            return render(request, "accounts/account_deleted.html")
    return render(
        request,
        "accounts/your_data.html",
        {"form": form, "blockers": privacy.blockers(request.user)},
        status=400,
    )
