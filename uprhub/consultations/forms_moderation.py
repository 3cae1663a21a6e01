"""The moderator's decision form (detail page of the moderation queue)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TestimonyStatus
from .moderation import MAX_NOTE, parse_version

PREVIEW = "preview"


class DecisionForm(forms.Form):
    # The testimony's `updated_at` when the page was made: a decision on a changed testimony
    # is refused (moderation.StaleDecision), never applied over the other change.
    version = forms.CharField(widget=forms.HiddenInput)
    keep = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    extra = forms.CharField(
        label=_("Also redact these words (one per line)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Every occurrence, whatever the case or accents."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=MAX_NOTE,
        help_text=_("Why you decided so. Do not copy the testimony or personal details here."),
    )
    decision = forms.ChoiceField(
        choices=[
            (TestimonyStatus.APPROVED, _("Approve")),
            (TestimonyStatus.NEEDS_REDACTION, _("Needs redaction")),
            (TestimonyStatus.REJECTED, _("Reject")),
            (PREVIEW, _("Preview")),
        ]
    )

    def __init__(self, *args: object, suggestions: int = 0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["keep"].choices = [(i, str(i)) for i in range(suggestions)]

    def clean_version(self) -> datetime.datetime | None:
        # An unreadable version is handled like a stale one (by the view).
        return parse_version(self.cleaned_data["version"])

    def phrases(self) -> list[str]:
        return self.cleaned_data.get("extra", "").splitlines()
