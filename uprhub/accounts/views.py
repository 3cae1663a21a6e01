"""Sign-up, e-mail verification, log-in and passwords, the profile, organisations, roles.

Log-in, log-out and the password views are Django's own (no hand-made password handling),
with our forms, templates and rate limits.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from uprhub.core.antispam import rate_limited
from uprhub.core.rules import has_perm, perm_required

from . import selectors, services
from .choices import Role
from .forms import (
    AddMemberForm,
    LoginForm,
    OrganisationForm,
    PasswordResetForm,
    ProfileForm,
    RoleForm,
    SignupForm,
)
from .models import Organisation
from .permissions import login_required
from .tokens import set_password_token_generator

# ---------------------------------------------------------------- sign-up and verification


@rate_limited("signup", target_field="email")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam():
            # Look exactly like a success, so a bot learns nothing.
            return redirect("accounts:signup_done")
        if form.is_valid():
            services.sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
            # Same page whether or not the address already had an account (no enumeration).
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


@require_GET
@rate_limited("verify", methods=("GET",))
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail only shows a button: mail scanners that open links must not
    verify an address (the same pattern as mailing-list confirmation)."""
    try:
        services.check_verification_token(token)
    except services.VerificationError:
        return render(request, "accounts/verify_failed.html", status=400)
    return render(request, "accounts/verify_email.html", {"token": token})


@require_POST
@rate_limited("verify")
def verify_email_submit(request: HttpRequest) -> HttpResponse:
    # The token comes in the body, so this request's path (and any log of it) has none.
    try:
        services.verify_email(request.POST.get("token", ""))
    except services.VerificationError:
        return render(request, "accounts/verify_failed.html", status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can log in now."))
    return redirect("accounts:login")


# ---------------------------------------------------------------- log-in and passwords


@method_decorator(rate_limited("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    template_name = "registration/logged_out.html"


@method_decorator(rate_limited("password_reset", target_field="email"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "emails/password_reset.txt"
    subject_template_name = "emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.mark_email_verified(form.user)
        return response


class SetPasswordView(PasswordResetConfirmView):
    """First password for an account created by a taskforce approval."""

    token_generator = set_password_token_generator
    template_name = "registration/set_password.html"
    title = gettext_lazy("Choose your password")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. You can log in now."))
        return response

    def get_success_url(self) -> str:
        return str(reverse_lazy("accounts:login"))


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


@method_decorator(login_required, name="dispatch")
class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


# ---------------------------------------------------------------- profile


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user_profile = services.profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=user_profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        services.update_profile(request.user, actor=request.user, themes=themes, **data)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    organisations = selectors.memberships_of(request.user)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": user_profile, "memberships": organisations},
    )


# ---------------------------------------------------------------- organisations


@perm_required("accounts.view_organisation")
def organisation_list(request: HttpRequest) -> HttpResponse:
    # Organisations are private to their members: each person sees their own; coordinators
    # and admins see all, with the claims waiting for their review first.
    organisations = selectors.organisations_for(request.user)
    reviewer = has_perm(request.user, "accounts.review_claim")
    if reviewer:
        organisations = organisations.order_by(F("verified_at").asc(nulls_first=True), "name")
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"page": page, "reviewer": reviewer})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(actor=request.user, **form.cleaned_data)
        if organisation.is_verified:
            messages.success(request, _("The organisation is saved; you are its contact person."))
        else:
            messages.success(
                request,
                _(
                    "The organisation is saved. A coordinator will confirm that you may speak "
                    "for it; until then you are its pending contact person."
                ),
            )
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


def _visible_organisation(request: HttpRequest, pk: int) -> Organisation:
    """The organisation, or 404 for anyone who may not see it (its existence included)."""
    organisation = selectors.organisation_or_404(pk)
    if not has_perm(request.user, "accounts.view_organisation", organisation):
        raise Http404
    return organisation


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    can_manage = has_perm(request.user, "accounts.manage_members", organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.visible_members(organisation, request.user),
            "can_edit": has_perm(request.user, "accounts.edit_organisation", organisation),
            "can_manage_members": can_manage,
            "add_member_form": AddMemberForm() if can_manage else None,
            # The rule's state half: only a pending claim is reviewed.
            "can_review_claim": has_perm(request.user, "accounts.review_claim", organisation),
        },
    )


@require_POST
@login_required
def organisation_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    if not has_perm(request.user, "accounts.manage_members", organisation):
        raise PermissionDenied
    form = AddMemberForm(request.POST)
    person = services.find_user_by_email(form.cleaned_data["email"]) if form.is_valid() else None
    if person is None or not person.is_active:
        messages.error(
            request,
            _("No active UPR Hub account has that address. Ask them to sign up first."),
        )
    else:
        services.add_member(organisation, person, actor=request.user)
        messages.success(
            request,
            _("%(name)s is now a member of the organisation.")
            % {"name": selectors.display_name(person)},
        )
    return redirect("accounts:organisation_detail", pk=organisation.pk)


@require_POST
@perm_required("accounts.review_claim")
def organisation_claim(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator confirms or rejects that an organisation's creator may speak for it."""
    organisation = selectors.organisation_or_404(pk)
    if request.POST.get("decision") == "confirm":
        # A second click, or another coordinator was quicker: it is confirmed all the same.
        with contextlib.suppress(services.ClaimAlreadyConfirmed):
            services.confirm_organisation_claim(organisation, actor=request.user)
        messages.success(request, _("The claim is confirmed; the organisation is listed."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    if request.POST.get("decision") == "reject" and not organisation.is_verified:
        services.reject_organisation_claim(
            organisation, actor=request.user, note=request.POST.get("note", "")
        )
        messages.success(request, _("The claim is rejected; the organisation is removed."))
        return redirect("accounts:organisation_list")
    messages.error(request, _("Choose to confirm or to reject the claim."))
    return redirect("accounts:organisation_detail", pk=organisation.pk)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible_organisation(request, pk)
    if not has_perm(request.user, "accounts.edit_organisation", organisation):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.update_organisation(organisation, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation is saved."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


# ---------------------------------------------------------------- people and roles (admins)


@perm_required("accounts.manage_roles")
def people(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role")
    users = selectors.active_people(role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {"page": page, "roles": Role.choices, "selected_role": role},
    )


@require_POST
@perm_required("accounts.manage_roles")
def set_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.user_or_404(pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
        return redirect("accounts:people")
    if person.pk == request.user.pk and form.cleaned_data["role"] != Role.ADMIN:
        # An admin demoting themselves could leave nobody able to manage roles.
        messages.error(request, _("Ask another administrator to change your own role."))
        return redirect("accounts:people")
    services.set_role(
        person, form.cleaned_data["role"], actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("The role is saved."))
    return redirect("accounts:people")
