"""The public testimony form: anonymous by default, every consent unticked."""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from uprhub.core.antispam import HONEYPOT_FIELD, HoneypotFormMixin
from uprhub.core.outbox import mail_is_captured

from . import crypto, topics
from .models import Consultation
from .services import MAX_TEXT, IdentityInput, TestimonyInput


def language_name(code: str) -> str:
    """The site's languages by their translated names; any other in its own name (a
    Vietnamese speaker looks for "Tiếng Việt")."""
    names = dict(settings.LANGUAGES)
    if code in names:
        return str(names[code])
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return str(locale.get_display_name(locale) or code)


class TestimonyForm(HoneypotFormMixin, forms.Form):
    text = forms.CharField(
        label=_("What human-rights problem do you or your community face?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_TEXT,
        help_text=_("In your own words. Please do not write names of other people."),
    )
    government = forms.CharField(
        label=_("What should the government do? (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_TEXT,
    )
    themes = forms.MultipleChoiceField(
        label=_("What is it about? (optional)"),
        help_text=_("Tick any that fit. It helps us find what the UN already said about it."),
        choices=topics.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=_("Language of your testimony"))
    quote_anonymously = forms.BooleanField(
        label=_("You may quote what I said, without my name."), required=False
    )
    quote_named = forms.BooleanField(
        label=_("You may quote what I said with my name."), required=False
    )
    may_contact = forms.BooleanField(
        label=_("You may contact me about my testimony."), required=False
    )
    fears_reprisals = forms.BooleanField(
        label=_("I fear reprisals if people learn that I spoke."),
        help_text=_("Then what you said is never shown in public."),
        required=False,
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=200,
        help_text=_("Only if you want to be quoted with your name. Leave empty to stay anonymous."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=200,
        help_text=_("Only if you want us to contact you or to send you your receipt code."),
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        required=False,
        max_length=40,
        help_text=_("Only if you want us to contact you by phone."),
    )
    email_receipt = forms.BooleanField(label=_("E-mail me my receipt code."), required=False)
    access_code = forms.CharField(
        label=_("Access code"),
        required=False,
        max_length=100,
        help_text=_("The organisers gave it to you."),
    )

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, language_name(code)) for code in consultation.languages
        ]
        if not consultation.questions.get("government"):
            del self.fields["government"]
        if not consultation.questions.get("themes"):
            del self.fields["themes"]
        if mail_is_captured():
            # No mail server: nothing would reach the person (and the code would only be
            # printed in the server's log), so the choice is not offered.
            del self.fields["email_receipt"]
        if not consultation.needs_access_code:
            del self.fields["access_code"]

    def _group(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    def question_fields(self) -> list[forms.BoundField]:
        return self._group("text", "government", "themes", "language")

    def consent_fields(self) -> list[forms.BoundField]:
        return self._group("quote_anonymously", "quote_named", "may_contact", "fears_reprisals")

    def identity_fields(self) -> list[forms.BoundField]:
        return self._group("name", "email", "phone", "email_receipt")

    def access_fields(self) -> list[forms.BoundField]:
        return self._group("access_code")

    def testimony(self) -> TestimonyInput:
        data = self.cleaned_data
        return TestimonyInput(
            text=data["text"],
            language=data["language"],
            government=data.get("government", ""),
            themes=topics.issues_for(data.get("themes") or []),
            quote_anonymously=data["quote_anonymously"],
            quote_named=data["quote_named"],
            may_contact=data["may_contact"],
            fears_reprisals=data["fears_reprisals"],
        )

    def identity(self) -> IdentityInput:
        data = self.cleaned_data
        return IdentityInput(name=data["name"], email=data["email"], phone=data["phone"])


class ChangeTestimonyForm(TestimonyForm):
    """The same questions, for the person holding the receipt code (no access code, no
    e-mail receipt: they have the code already)."""

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        self.fields.pop("access_code", None)
        self.fields.pop("email_receipt", None)


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("The code you were given after sending your testimony."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class FacilitatorForm(TestimonyForm):
    """The same questions, typed in by a facilitator for a person at an event.

    `client_id` is made when the form is shown (by the server, or by facilitate.js for each
    entry kept offline), so the same entry sent twice is stored once. `receipt_code` is made
    by facilitate.js on the device, so the person gets their code at once even offline;
    without JavaScript the server makes it and shows it on the receipt."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    receipt_code = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, consultation=consultation, **kwargs)
        # The facilitator is signed in and trusted: no access code, no honeypot; no e-mail
        # receipt (the code is written on a card for the person there and then).
        for name in ("access_code", "email_receipt", HONEYPOT_FIELD):
            self.fields.pop(name, None)
        self.fields["text"].label = _(
            "What human-rights problem does the person or their community face?"
        )
        self.fields["text"].help_text = _("In their own words. Do not write names of other people.")
        self.fields["language"].label = _("Language of the testimony")

    def is_spam(self) -> bool:
        return False

    def clean_receipt_code(self) -> str:
        code: str = self.cleaned_data.get("receipt_code", "").strip()
        if code and not crypto.is_receipt_code(code):
            raise forms.ValidationError(_("The receipt code made on the device is not valid."))
        return code


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Local time of this site."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in public, on the consultation's page and the calendar."),
    )
