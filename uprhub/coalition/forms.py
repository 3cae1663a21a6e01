"""The public application form, the coordinators' decision form and the page filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.forms import OptionalLabelsMixin, ThemesField, focus_themes
from uprhub.core.antispam import HoneypotFormMixin
from uprhub.core.translations import DisplayNameChoiceField

from .models import ApplicationStatus, Decision, TaskforceApplication


class ApplicationForm(OptionalLabelsMixin, HoneypotFormMixin, forms.ModelForm):
    themes = ThemesField(
        help_text=_("The issues you work on. We use them to suggest working groups."),
    )

    class Meta:
        model = TaskforceApplication
        fields = [
            "name",
            "email",
            "organisation_name",
            "role_title",
            "themes",
            "experience",
            "city",
            "us_state",
            "country",
            "languages",
            "motivation",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Your e-mail address"),
            "organisation_name": _("Your organisation"),
            "role_title": _("Your role in the organisation"),
            "motivation": _("Why do you want to join the UPR Taskforce?"),
        }
        help_texts = {
            "email": _("We send a confirmation to this address. Nobody else sees it."),
            "organisation_name": _("Leave empty if you are applying as an individual."),
            "experience": _("With the UPR, treaty bodies or special procedures."),
            "languages": _("The languages you work in, e.g. English, Spanish."),
            "motivation": _("A few sentences are enough."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "role_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "country": forms.TextInput(attrs={"autocomplete": "country-name"}),
            "experience": forms.RadioSelect,
            "motivation": forms.Textarea(attrs={"rows": 6}),
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "It is e-mailed to the applicant and kept with the decision. When asking for more "
            "information, say what you need."
        ),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open (waiting or more information requested)"))]
        + list(ApplicationStatus.choices),
    )


class DirectoryFilterForm(forms.Form):
    theme = DisplayNameChoiceField(
        label=_("Theme"), queryset=focus_themes(), required=False, empty_label=_("All themes")
    )
    location = forms.ChoiceField(label=_("US state or country"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=100)

    def __init__(self, *args, locations: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("Everywhere"))] + locations
