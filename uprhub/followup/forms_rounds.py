"""Forms of the rounds' pages: a round's settings, and giving someone a role (people are
chosen from existing accounts, never typed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.selectors import display_name
from uprhub.reviews.models import Review

from . import round_selectors
from .models import AssessmentRound, RoundRoleKind, Scale


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReviewField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Review) -> str:
        return round_selectors.review_label(obj)


class ScaleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Scale) -> str:
        from django.utils.translation import gettext

        grades = "; ".join(f"{grade.code} – {grade.display_label}" for grade in obj.grades.all())
        return f"{gettext(obj.name)} ({grades})"


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("e.g. Mid-term 2022"))
    review = ReviewField(
        label=_("Review assessed"),
        queryset=Review.objects.none(),
        help_text=_("The review whose recommendations are assessed."),
    )
    scale = ScaleField(
        label=_("Scale"),
        queryset=Scale.objects.none(),
        help_text=_("The grades assessors choose from. It cannot change once work has begun."),
    )
    as_of = forms.DateField(
        label=_("Assessed as of"),
        widget=DateInput(),
        help_text=_("The date the assessment speaks of."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    assessments_due = forms.DateField(
        label=_("Assessments due"), required=False, widget=DateInput()
    )
    review_due = forms.DateField(
        label=_("Review due"),
        required=False,
        widget=DateInput(),
        help_text=_("On or after the assessments' deadline."),
    )
    publish_on = forms.DateField(
        label=_("Publication planned"),
        required=False,
        widget=DateInput(),
        help_text=_("On or after the review's deadline."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        review_field = self.fields["review"]
        scale_field = self.fields["scale"]
        assert isinstance(review_field, forms.ModelChoiceField)
        assert isinstance(scale_field, forms.ModelChoiceField)
        review_field.queryset = round_selectors.reviews_with_recommendations()
        scale_field.queryset = round_selectors.scales()

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) for name in self.fields if name not in ("slug", "version")}


class NewRoundForm(RoundForm):
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        required=False,
        help_text=_("Letters, digits and hyphens. Left empty, it is made from the name."),
    )


class EditRoundForm(RoundForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(round_: AssessmentRound) -> dict[str, Any]:
        return {
            "name": round_.name,
            "review": round_.review_id,
            "scale": round_.scale_id,
            "as_of": round_.as_of,
            "description": round_.description,
            "assessments_due": round_.assessments_due,
            "review_due": round_.review_due,
            "publish_on": round_.publish_on,
            "version": round_.version,
        }


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Coordinators see members' addresses on the roles pages too.
        return f"{display_name(obj)} <{obj.email}>"


class RoleForm(forms.Form):
    """Step one: who and which role. Step two (an assessor) asks for one of their
    organisations (`OrganisationForm`)."""

    user = PersonField(label=_("Person"), queryset=round_selectors.people_for_roles())
    role = forms.ChoiceField(label=_("Role"), choices=RoundRoleKind.choices)


class OrganisationForm(forms.Form):
    """An assessor's organisation: only the chosen person's own organisations."""

    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assesses for"), queryset=None
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = round_selectors.organisations_of(user)
