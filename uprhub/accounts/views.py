"""Sign-up, e-mail verification, log-in and passwords, the profile, organisations, roles.

Log-in, log-out and the password views are Django's own (no hand-made password handling),
with our forms, templates and rate limits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from uprhub.core.antispam import rate_limited

from . import services
from .choices import Role
from .forms import (
    LoginForm,
    OrganisationForm,
    PasswordResetForm,
    ProfileForm,
    RoleForm,
    SignupForm,
)
from .models import Membership, Organisation
from .permissions import can_edit_organisation, login_required, role_required
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
    organisations = Membership.objects.filter(user=request.user).select_related("organisation")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "profile": user_profile, "memberships": organisations},
    )


# ---------------------------------------------------------------- organisations


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.order_by("name")
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"page": page})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation is saved; you are its contact person."))
        return redirect("accounts:organisation_detail", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": None})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user__profile").order_by("joined_at"),
            )
        ),
        pk=pk,
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": can_edit_organisation(request.user, organisation),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not can_edit_organisation(request.user, organisation):
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


@role_required(Role.ADMIN)
def people(request: HttpRequest) -> HttpResponse:
    users = (
        get_user_model().objects.filter(is_active=True).select_related("profile").order_by("email")
    )
    role = request.GET.get("role")
    if role in Role.values:
        users = users.filter(profile__role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {"page": page, "roles": Role.choices, "selected_role": role},
    )


@require_POST
@role_required(Role.ADMIN)
def set_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
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
