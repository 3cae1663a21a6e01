"""Forms for signing up, logging in, the profile, organisations and roles."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.template import loader
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from uprhub.core.antispam import HONEYPOT_FIELD, HoneypotFormMixin
from uprhub.core.mail import send_mail_message
from uprhub.core.translations import DisplayNameChoicesMixin
from uprhub.recommendations.models import Theme

from .choices import Role
from .models import Organisation, Profile
from .validators import single_line

log = logging.getLogger(__name__)


def _same_address(first: str, second: str) -> bool:
    def fold(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold().strip()

    return fold(first) == fold(second)


def focus_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(vocabulary__slug=settings.UPRHUB_FOCUS_THEME_VOCABULARY).order_by(
        "name"
    )


class OptionalLabelsMixin:
    """Say "(optional)" in the label of every field that may stay empty.

    People should not have to guess which answers are needed; marking the optional ones
    (rather than the required ones with an asterisk) reads best with screen readers.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            # A checkbox is a choice, not an answer one may leave out.
            if (
                not field.required
                and name != HONEYPOT_FIELD
                and field.label
                and not isinstance(field, forms.BooleanField)
            ):
                field.label = format_lazy("{} ({})", field.label, _("optional"))


class ThemesField(DisplayNameChoicesMixin, forms.ModelMultipleChoiceField):
    """Focus themes as a group of checkboxes (rendered in a fieldset with a legend), named
    and sorted in the visitor's language."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Focus themes"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(queryset=focus_themes(), **kwargs)


class SignupForm(HoneypotFormMixin, auth_forms.SetPasswordMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We will send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = auth_forms.SetPasswordMixin.create_password_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.validate_passwords()
        # Check the password against the name and address, as Django's own forms do.
        candidate = get_user_model()(
            username=cleaned.get("email", ""),
            email=cleaned.get("email", ""),
            first_name=cleaned.get("full_name", ""),
        )
        self.validate_password_for_user(candidate)
        return cleaned


class LoginForm(auth_forms.AuthenticationForm):
    """Log in with the e-mail address (older hand-made accounts may use their username)."""

    username = auth_forms.UsernameField(
        label=_("E-mail address"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        # One message for every failure: it must not tell whether an address has an account.
        "invalid_login": _("That e-mail address and password do not match an active account."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, with links built from UPRHUB_SITE_URL and sent via core.mail."""

    def get_users(self, email: str):  # type: ignore[override]
        # Unlike Django's default, include accounts with no password yet: people approved
        # into the taskforce whose invitation link expired recover through this form.
        User = get_user_model()
        candidates = User._default_manager.filter(email__iexact=email.strip(), is_active=True)
        # The database's case folding is looser than Unicode's; compare again as Django does
        # so "ß" cannot receive the reset link of "ss".
        return [user for user in candidates if _same_address(email, user.email)]

    def save(self, **kwargs: Any) -> None:  # type: ignore[override]
        site = urlsplit(settings.UPRHUB_SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        super().save(**kwargs)

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        try:
            send_mail_message(to_email, subject, body, html)
        except Exception:
            # As Django does: a mail failure must not reveal (by a 500) that the address exists.
            log.exception("Could not send a password reset e-mail to user %s", context["user"].pk)


class ProfileForm(OptionalLabelsMixin, forms.ModelForm):
    themes = ThemesField()

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "organisation_name",
            "city",
            "us_state",
            "country",
            "themes",
            "languages",
            "experience",
            "listed_in_directory",
        ]
        widgets = {"experience": forms.RadioSelect}


class OrganisationForm(OptionalLabelsMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "kind",
            "city",
            "country",
            "website",
            "description",
            "established_on",
        ]
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of their UPR Hub account"),
        help_text=_("They must have signed up and confirmed their address first."),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, required=False)
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=255,
        required=False,
        validators=[single_line],
    )
