"""Forms of the report pages. They validate input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.choices import OrganisationType
from uprhub.accounts.models import Organisation
from uprhub.accounts.selectors import organisation_name_taken
from uprhub.accounts.validators import single_line
from uprhub.reviews.models import Review

from .models import Language, RoleOnReport, SectionKind, SubmissionType
from .selectors import organisations_to_submit_for, own_organisations, reviews_for_new_report
from .services import NewOrganisation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ReviewChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Review) -> str:
        when = obj.review_date or obj.session.start_date
        label = _("%(state)s — UPR %(session)s (cycle %(cycle)s)") % {
            "state": obj.state.display_name,
            "session": obj.session_id,
            "cycle": obj.session.cycle_id,
        }
        label = f"{label}, {when:%Y}" if when else str(label)
        if getattr(obj, "not_held", False):
            # Never offered as a review like any other: the State did not take part.
            label = _("%(review)s — did not take place") % {"review": label}
        return str(label)


class OrganisationsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        place = ", ".join(p for p in (obj.city, obj.country) if p)
        label = f"{obj} — {place}" if place else str(obj)
        if obj.verified_at is None:
            label = _("%(organisation)s (awaiting a coordinator's confirmation)") % {
                "organisation": label
            }
        return label


class CoverFields(forms.Form):
    """What the cover sheet needs, shared by the new-report and cover forms."""

    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Leave empty for “Joint submission to the Universal Periodic Review of …”."),
    )
    submission_type = forms.ChoiceField(
        label=_("Individual or joint submission"),
        choices=SubmissionType.choices,
        widget=forms.RadioSelect,
        initial=SubmissionType.INDIVIDUAL,
    )
    organisations = OrganisationsField(
        label=_("Submitting organisations"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "One for an individual submission; every member organisation for a joint one. "
            "Missing one? Add it from your profile first."
        ),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail address"), required=False)
    key_words = forms.CharField(
        label=_("Key words"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas, e.g. death penalty, detention, migrants."),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=Language.choices, initial=Language.ENGLISH
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, organisations = data.get("submission_type"), data.get("organisations")
        if kind == SubmissionType.INDIVIDUAL and organisations and len(organisations) > 1:
            self.add_error(
                "organisations",
                _("An individual submission comes from one organisation; choose “joint” for more."),
            )
        return data


NEW_ORGANISATION_FIELDS = (
    "new_organisation_name",
    "new_organisation_acronym",
    "new_organisation_kind",
    "new_organisation_city",
    "new_organisation_country",
)


class ReportCreateForm(CoverFields):
    """Starting a report: the review, then who submits it — organisations the person belongs
    to, confirmed partners (joint submissions), and/or their own organisation registered here.

    Works without JavaScript: every part is shown; the checks say what is missing."""

    review = ReviewChoiceField(
        label=_("State and session"),
        queryset=Review.objects.none(),
        help_text=_("The State under review and the Working Group session you write for."),
        error_messages={"required": _("Choose the State and session the report is for.")},
    )
    new_organisation_name = forms.CharField(
        label=_("Name of your organisation"),
        max_length=255,
        required=False,
        validators=[single_line],
        help_text=_("As OHCHR should list it, in full."),
    )
    new_organisation_acronym = forms.CharField(
        label=_("Acronym (optional)"), max_length=30, required=False, validators=[single_line]
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("Choose a type"))] + list(OrganisationType.choices),
        required=False,
    )
    new_organisation_city = forms.CharField(
        label=_("City (optional)"), max_length=100, required=False, validators=[single_line]
    )
    new_organisation_country = forms.CharField(
        label=_("Country"), max_length=100, required=False, validators=[single_line]
    )
    # The page's order, which the error summary follows.
    field_order = ["review", "submission_type", "organisations", *NEW_ORGANISATION_FIELDS, "title"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = reviews_for_new_report()
        # One list of submitters (as on the cover form), shown in two groups: the person's own
        # organisations, then confirmed partners for a joint submission.
        field = self.fields["organisations"]
        field.queryset = organisations_to_submit_for(user)
        field.required = False
        self.own_ids = set(own_organisations(user).values_list("pk", flat=True))
        self.has_own = bool(self.own_ids)

    def _choices(self, own: bool) -> list[Any]:
        return [
            choice
            for choice in self["organisations"]
            if (choice.data["value"].value in self.own_ids) is own
        ]

    def own_choices(self) -> list[Any]:
        return self._choices(own=True)

    def partner_choices(self) -> list[Any]:
        return self._choices(own=False)

    def review_fields(self) -> list[Any]:
        return [self["review"], self["submission_type"]]

    def new_organisation_fields(self) -> list[Any]:
        return [self[name] for name in NEW_ORGANISATION_FIELDS]

    def cover_fields(self) -> list[Any]:
        skip = {"review", "submission_type", "organisations", *NEW_ORGANISATION_FIELDS}
        return [field for field in self if field.name not in skip]

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self)
        chosen = list(data.get("organisations") or [])
        new = self._clean_new_organisation(data)
        count = len(chosen) + (1 if new else 0)
        if any(name in self.errors for name in NEW_ORGANISATION_FIELDS):
            pass  # the registration's own message says what is missing
        elif count == 0:
            if self.has_own:
                self.add_error(
                    "organisations",
                    _("Choose the organisation that submits the report, or register yours below."),
                )
            else:
                self.add_error(
                    "new_organisation_name",
                    _(
                        "Give your organisation's name: every report is submitted by at least "
                        "one organisation."
                    ),
                )
        elif data.get("submission_type") == SubmissionType.INDIVIDUAL and count > 1:
            self.add_error(
                "submission_type",
                _(
                    "An individual submission comes from one organisation, and %(count)s are "
                    "chosen: choose “joint submission”, or keep one organisation."
                )
                % {"count": count},
            )
        data["all_organisations"] = chosen
        data["new_organisation"] = new
        return data

    def _clean_new_organisation(self, data: dict[str, Any]) -> NewOrganisation | None:
        values = {name: (data.get(name) or "").strip() for name in NEW_ORGANISATION_FIELDS}
        if not any(values.values()):
            return None
        name = values["new_organisation_name"]
        if not name:
            self.add_error(
                "new_organisation_name",
                _("Give the organisation's name to register it (or leave these fields empty)."),
            )
            return None
        if organisation_name_taken(name):
            self.add_error(
                "new_organisation_name",
                _(
                    "An organisation with this name is already registered on UPR Hub. Only its "
                    "contact person can add you to it: ask them, then choose it here. If yours "
                    "is another organisation, give its own full name."
                ),
            )
        if not values["new_organisation_kind"]:
            self.add_error("new_organisation_kind", _("Choose the type of your organisation."))
        if not values["new_organisation_country"]:
            self.add_error(
                "new_organisation_country", _("Give the country where your organisation is based.")
            )
        return NewOrganisation(
            name=name,
            kind=values["new_organisation_kind"],
            country=values["new_organisation_country"],
            acronym=values["new_organisation_acronym"],
            city=values["new_organisation_city"],
        )


class CoverForm(CoverFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ParagraphForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20_000
    )
    footnotes = forms.CharField(
        label=_("Sources (footnotes), one per line"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=50_000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def footnote_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["footnotes"].splitlines() if line.strip()
        ]


class SectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Part of the report"), choices=SectionKind.choices)
    title = forms.CharField(
        label=_("Heading"),
        max_length=255,
        help_text=_("For a follow-up section, the issue: “Death penalty”, “Right to housing”…"),
    )


class RenameSectionForm(forms.Form):
    title = forms.CharField(label=_("Heading"), max_length=255)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )


class RoleForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The person needs a UPR Hub account.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=RoleOnReport.choices)

    def clean_email(self) -> Any:
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody with this e-mail address has an account."))
        self.cleaned_data["user"] = user
        return email


class DescriptionForm(forms.Form):
    description = forms.CharField(
        label=_("Short description for this report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1500,
        required=False,
        help_text=_("Its activities and date of establishment, in a paragraph."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word document (.docx)"),
        help_text=_("Your draft is checked and not stored. Up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document"
            }
        ),
    )
    submission_type = forms.ChoiceField(
        label=_("Individual or joint submission"),
        choices=[("", _("Read it from the document"))] + list(SubmissionType.choices),
        required=False,
        help_text=_("The word limit depends on it."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                _("Choose a Word document ending in .docx (save older .doc files as .docx).")
            )
        return upload
