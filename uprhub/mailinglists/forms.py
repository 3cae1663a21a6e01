"""Forms: subscribe (public, honeypot), the preferences page, and composing a post."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.validators import single_line
from uprhub.core.antispam import HoneypotFormMixin
from uprhub.core.translations import DisplayNameMultipleChoiceField
from uprhub.reviews.models import State

from .models import MailingList

DAY_CHOICES = [
    (60, _("60 days before")),
    (30, _("30 days before")),
    (14, _("14 days before")),
    (7, _("7 days before")),
    (3, _("3 days before")),
    (1, _("1 day before")),
]


class ListsField(forms.ModelMultipleChoiceField):
    """Lists as checkboxes (a fieldset with a legend); the label shows who may read it."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: MailingList) -> str:
        if obj.members_only:
            return f"{obj.name} ({_('members only')})"
        return obj.name


class SubscribeForm(HoneypotFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        validators=[single_line],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    lists = ListsField(
        label=_("Lists"),
        queryset=MailingList.objects.none(),
        error_messages={"required": _("Choose at least one list.")},
    )

    def __init__(self, *args: Any, lists: QuerySet[MailingList], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = lists


class PreferencesLinkForm(HoneypotFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        validators=[single_line],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PreferencesForm(forms.Form):
    lists = ListsField(
        label=_("Lists you receive"), queryset=MailingList.objects.none(), required=False
    )
    reminders = forms.BooleanField(
        label=_("Send me deadline reminders for the States I follow"), required=False
    )
    states = DisplayNameMultipleChoiceField(
        label=_("States I follow"),
        queryset=State.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.TypedMultipleChoiceField(
        label=_("When to remind me"),
        choices=DAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, lists: QuerySet[MailingList], states: QuerySet[State], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = lists
        self.fields["states"].queryset = states

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reminders"):
            if not data.get("states"):
                self.add_error("states", _("Choose at least one State to be reminded about."))
            if not data.get("days"):
                self.add_error("days", _("Choose when to be reminded."))
        return data


class PostForm(forms.Form):
    mailing_list = forms.ModelChoiceField(label=_("List"), queryset=MailingList.objects.none())
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[single_line])
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Markdown: *italic*, **bold**, [a link](https://example.org), lists starting "
            "with - or 1. An unsubscribe link is added to every message."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = MailingList.objects.active()
