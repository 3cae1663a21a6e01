"""Forms of assessing and reviewing. They only shape input: the services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uprhub.recommendations.models import Recommendation

from .models import AssessmentRound, EvidenceKind, Grade
from .services import MAX_NOTE_CHARS, MAX_QUOTE_CHARS, MAX_RATIONALE_CHARS

STATUS_CHOICES = [
    ("", _("Any status")),
    ("unassessed", _("Not assessed yet")),
    ("assessed", _("Assessed")),
    ("draft", _("Coalition draft")),
    ("in_review", _("In review")),
    ("published", _("Published")),
]
RESPONSE_CHOICES = [("", _("Any response")), ("supported", _("Supported")), ("noted", _("Noted"))]
GROUP_CHOICES = [("theme", _("By theme")), ("cluster", _("By cluster"))]
ORDER_CHOICES = [("asc", _("Paragraph, first to last")), ("desc", _("Paragraph, last to first"))]


class GradeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Grade) -> str:
        return f"{obj.code} – {obj.display_label}"


def _grades(round_: AssessmentRound) -> Any:
    return Grade.objects.filter(scale_id=round_.scale_id).order_by("order", "pk")


class WorkFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=GROUP_CHOICES, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    theme = forms.TypedChoiceField(label=_("Theme"), coerce=int, required=False, empty_value=None)
    response = forms.ChoiceField(
        label=_("State's response"), choices=RESPONSE_CHOICES, required=False
    )
    order = forms.ChoiceField(label=_("Sort"), choices=ORDER_CHOICES, required=False)

    def __init__(self, *args: Any, themes: list[tuple[int, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        theme_field = self.fields["theme"]
        assert isinstance(theme_field, forms.TypedChoiceField)
        theme_field.choices = [("", _("Any theme")), *themes, (0, _("No theme"))]


class AssessmentForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Assessing for"), coerce=int)
    grade = GradeChoiceField(label=_("Grade"), queryset=Grade.objects.none())
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_RATIONALE_CHARS,
        required=False,
    )
    as_of = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, round_: AssessmentRound, organisations: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = _grades(round_)  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]  # type: ignore[attr-defined]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()


class PositionForm(forms.Form):
    grade = GradeChoiceField(label=_("Grade"), queryset=Grade.objects.none())
    rationale = forms.CharField(
        label=_("Rationale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_RATIONALE_CHARS,
        required=False,
    )
    as_of = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note for the history"),
        max_length=MAX_NOTE_CHARS,
        required=False,
        help_text=_("Optional: what changed and why."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, round_: AssessmentRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].queryset = _grades(round_)  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    transition = forms.ChoiceField(
        choices=[("submit", "submit"), ("publish", "publish"), ("send_back", "send_back")]
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=MAX_NOTE_CHARS, required=False)


class EvidenceForm(forms.Form):
    owner = forms.CharField(widget=forms.HiddenInput)  # "assessment-<id>" or "position-<id>"
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    document_symbol = forms.CharField(
        label=_("UN document symbol"),
        max_length=60,
        required=False,
        help_text=_("e.g. A/HRC/WG.6/50/USA/2"),
    )
    paragraph = forms.IntegerField(label=_("Paragraph"), min_value=1, required=False)
    url = forms.URLField(label=_("Address"), max_length=500, required=False, assume_scheme="https")
    title = forms.CharField(label=_("Title or citation"), max_length=300, required=False)
    quote = forms.CharField(
        label=_("Verbatim quote"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_QUOTE_CHARS,
        required=False,
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def evidence_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "owner"}


class ClusterForm(forms.Form):
    """The common grade and rationale, then one override row per recommendation."""

    target = forms.ChoiceField(label=_("Assess as"), widget=forms.RadioSelect)
    grade = GradeChoiceField(label=_("Grade for all"), queryset=Grade.objects.none())
    rationale = forms.CharField(
        label=_("Rationale for all"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_RATIONALE_CHARS,
        required=False,
    )
    as_of = forms.DateField(
        label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    # {target: {recommendation id: version}} as the page was shown, for every target.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        round_: AssessmentRound,
        recommendations: list[Recommendation],
        targets: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        grades = _grades(round_)
        self.fields["grade"].queryset = grades  # type: ignore[attr-defined]
        self.fields["target"].choices = targets  # type: ignore[attr-defined]
        self.recommendations = recommendations
        for rec in recommendations:
            self.fields[f"grade_{rec.pk}"] = GradeChoiceField(
                label=_("Grade for %(paragraph)s") % {"paragraph": rec.paragraph},
                queryset=grades,
                required=False,
                empty_label=_("Same as above"),
            )
            self.fields[f"rationale_{rec.pk}"] = forms.CharField(
                label=_("Rationale for %(paragraph)s") % {"paragraph": rec.paragraph},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=MAX_RATIONALE_CHARS,
                required=False,
            )
            self.fields[f"skip_{rec.pk}"] = forms.BooleanField(
                label=_("Skip %(paragraph)s") % {"paragraph": rec.paragraph}, required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "recommendation": rec,
                "grade": self[f"grade_{rec.pk}"],
                "rationale": self[f"rationale_{rec.pk}"],
                "skip": self[f"skip_{rec.pk}"],
            }
            for rec in self.recommendations
        ]

    def overrides(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            rec.pk: {
                "grade": data.get(f"grade_{rec.pk}"),
                "rationale": data.get(f"rationale_{rec.pk}") or "",
                "skip": bool(data.get(f"skip_{rec.pk}")),
            }
            for rec in self.recommendations
        }

    def versions(self) -> dict[int, int | None]:
        """The versions the person saw for the target they chose (hidden field `seen`)."""
        try:
            seen = json.loads(self.cleaned_data.get("seen") or "{}")
            found = seen.get(self.cleaned_data.get("target") or "", {})
            return {int(key): (int(value) if value else None) for key, value in found.items()}
        except (TypeError, ValueError, AttributeError):
            return {}
