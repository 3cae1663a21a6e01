"""The coordinators' deadline form: a date, an optional time, a zone and the source."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GENEVA_TZ
from .selectors import DeadlineEntry
from .services import DeadlineValues


class DeadlineForm(forms.Form):
    due_date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Year-month-day, e.g. 2026-04-02."),
    )
    due_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Leave empty for a date without a time (a review day, an adoption)."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        initial=GENEVA_TZ,
        max_length=64,
        help_text=_("OHCHR deadlines are in Geneva time: Europe/Zurich."),
    )
    is_estimated = forms.BooleanField(
        label=_("Not yet confirmed by OHCHR (estimated)"), required=False
    )
    cancelled = forms.BooleanField(label=_("Did not take place"), required=False)
    source_note = forms.CharField(
        label=_("Source"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where the date comes from: an OHCHR page, a note verbale, an e-mail…"),
    )
    # The version the editor started from; a save is refused if the row moved on since.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(
                _("Unknown time zone. Use a name such as Europe/Zurich.")
            ) from None
        return zone

    def values(self) -> DeadlineValues:
        data = self.cleaned_data
        at = data["due_time"] or datetime.min.time()
        return DeadlineValues(
            due=datetime.combine(data["due_date"], at, tzinfo=ZoneInfo(data["time_zone"])),
            all_day=data["due_time"] is None,
            time_zone=data["time_zone"],
            is_estimated=data["is_estimated"],
            cancelled=data["cancelled"],
            source_note=data["source_note"],
        )

    @classmethod
    def initial_for(cls, entry: DeadlineEntry) -> dict:
        local = entry.local_due
        return {
            "due_date": local.date(),
            "due_time": None if entry.all_day else local.time().replace(second=0, microsecond=0),
            "time_zone": entry.time_zone,
            "is_estimated": entry.is_estimated and entry.scope != "estimate",
            "cancelled": entry.cancelled,
            "source_note": entry.source_note,
            "version": entry.version,
        }
