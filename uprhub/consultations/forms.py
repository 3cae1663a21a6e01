"""The public testimony form: anonymous by default, every consent unticked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from uprhub.core.antispam import HoneypotFormMixin

from .models import Consultation
from .services import MAX_TEXT, IdentityInput, TestimonyInput


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
        names = dict(settings.LANGUAGES)
        self.fields["language"].choices = [
            (code, names.get(code, code)) for code in consultation.languages
        ]
        if not consultation.questions.get("government"):
            del self.fields["government"]
        if not consultation.needs_access_code:
            del self.fields["access_code"]

    def _group(self, *names: str) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    def question_fields(self) -> list[forms.BoundField]:
        return self._group("text", "government", "language")

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
