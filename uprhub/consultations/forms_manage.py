"""Forms of the people who run a consultation: create it, change its settings, choose who
facilitates and moderates it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.selectors import active_people, display_name
from uprhub.reports.forms import ReviewChoiceField
from uprhub.reports.selectors import reviews_for_new_report
from uprhub.reviews.models import Review

from .models import Consultation, ConsultationRoleKind
from .services import ConsultationSettings

SITE_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def split_codes(value: str) -> list[str]:
    return [code.strip() for code in value.replace(";", ",").split(",") if code.strip()]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("The city or community, as participants and the UN should read it."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text=_("Shown on the consultation's public page: who runs it and why."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of testimony"),
        widget=forms.CheckboxSelectMultiple,
        choices=settings.LANGUAGES,
        required=False,
    )
    other_languages = forms.CharField(
        label=_("Other languages of testimony (optional)"),
        required=False,
        max_length=200,
        help_text=_(
            "Language codes separated by commas, e.g. ht, vi, zh-hans. People can write in "
            "them; the pages stay in English, Spanish or French."
        ),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens (optional)"),
        required=False,
        widget=DateTimeInput(),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (optional)"),
        required=False,
        widget=DateTimeInput(),
    )
    ask_themes = forms.BooleanField(
        label=_("Let participants pick themes"), required=False, initial=True
    )
    ask_government = forms.BooleanField(
        label=_("Also ask “What should the government do?”"), required=False, initial=True
    )
    access_code = forms.CharField(
        label=_("Access code (optional)"),
        required=False,
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Only people who know it can give testimony (share it at your events). "
            "Leave empty to keep the current one."
        ),
    )
    remove_access_code = forms.BooleanField(
        label=_("Remove the access code: anyone may give testimony"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not at import, so it is translated in the visitor's language.
        self.fields["opens_at"].help_text = _("Times are in the site's time zone (%(zone)s).") % {
            "zone": settings.TIME_ZONE
        }
        self.fields["closes_at"].help_text = _(
            "Names, e-mail addresses, phone numbers and the original texts are deleted "
            "%(days)s days after this date."
        ) % {"days": settings.UPRHUB_CONSULTATION_RETENTION_DAYS}

    def settings(self) -> ConsultationSettings:
        data = self.cleaned_data
        return ConsultationSettings(
            title=data["title"],
            place=data["place"],
            description=data["description"],
            languages=[*data["languages"], *split_codes(data["other_languages"])],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            ask_themes=data["ask_themes"],
            ask_government=data["ask_government"],
        )

    def access_code_change(self) -> str | None:
        """None keeps the code, "" removes it, anything else replaces it."""
        if self.cleaned_data.get("remove_access_code"):
            return ""
        return self.cleaned_data.get("access_code") or None

    @staticmethod
    def initial_for(consultation: Consultation) -> dict[str, Any]:
        return {
            "title": consultation.title,
            "place": consultation.place,
            "description": consultation.description,
            "languages": [c for c in consultation.languages if c in SITE_LANGUAGES],
            "other_languages": ", ".join(
                c for c in consultation.languages if c not in SITE_LANGUAGES
            ),
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "ask_themes": consultation.questions.get("themes", False),
            "ask_government": consultation.questions.get("government", False),
        }


class EditForm(SettingsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    consent_text = forms.CharField(
        label=_("Consent text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=10_000,
        help_text=_(
            "Leave empty for UPR Hub's standard wording (translated). A change makes a new "
            "version: each testimony keeps the version it was given under."
        ),
    )


class CreateForm(SettingsForm):
    slug = forms.SlugField(
        label=_("Short name in its address"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, e.g. pittsburgh-2026: /listen/pittsburgh-2026/"),
    )
    review = ReviewChoiceField(
        label=_("State and review"),
        queryset=Review.objects.none(),
        help_text=_("The UN review whose shadow report the results will feed."),
    )
    field_order = ["review", "title", "slug"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = reviews_for_new_report()
        self.fields["languages"].initial = ["en", "es", "fr"]
        del self.fields["remove_access_code"]
        self.fields["access_code"].help_text = _(
            "Only people who know it can give testimony (share it at your events)."
        )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Coordinators see members' addresses elsewhere too (the roles page).
        return f"{display_name(obj)} <{obj.email}>"


class RoleForm(forms.Form):
    # A choice among existing active accounts, never a typed name or address.
    user = PersonChoiceField(label=_("Person"), queryset=active_people())
    role = forms.ChoiceField(label=_("Role"), choices=ConsultationRoleKind.choices)
