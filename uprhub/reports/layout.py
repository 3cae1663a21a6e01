"""What every export writes besides the paragraphs: cover lines, the organisations list, labels.

Shared by the DOCX and PDF exporters (so both show the same words), the validator (which
counts the organisations list) and the DOCX reader (which recognises these lines when a
report we exported comes back). Pure functions; labels follow the active language, so wrap
calls in ``translation.override(doc.cover.language)``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from .document import CoverInformation, Organisation, ReportDocument, SubmissionType

#: Paragraph styles of our DOCX, so the reader can tell cover and list lines from the text.
COVER_STYLE = "UPR Cover"
ORGANISATION_STYLE = "UPR Organisation"
PARAGRAPH_STYLE = "UPR Paragraph"

# Characters XML 1.0 forbids (C0 controls except tab, newline, carriage return; U+FFFE/FFFF).
# Vertical tab and form feed are Word's line and page breaks in pasted text: make them spaces.
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
_BREAKS = re.compile("[\x0b\x0c]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """User text made safe for XML and PDF: a string, never markup.

    Drops characters XML cannot hold, turns lone surrogates (from broken pastes) into U+FFFD
    and normalises to NFC so that the same word is always the same characters. Everything else
    — HTML, "<script>", Word field codes such as "{ MERGEFIELD x }", RTL marks, emoji — stays
    as literal text; the exporters insert it as text nodes, which escape it.
    """
    if not text:
        return ""
    text = _SURROGATES.sub("\ufffd", text)
    text = _BREAKS.sub(" ", text)
    text = _XML_INVALID.sub("", text)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def file_stem(*parts: object, limit: int = 80) -> str:
    """A safe file name stem from `parts` ("upr50-usa-housing-rights"), at most `limit`
    characters and cut between words, never inside one; "" when nothing is left."""
    slug = slugify("-".join(str(p) for p in parts if p))
    if len(slug) <= limit:
        return slug
    head = slug[: limit + 1]  # one more: a hyphen there means the cut falls between words
    if "-" in head:
        return head.rsplit("-", 1)[0].strip("-")
    return slug[:limit]  # a single word longer than the limit: nothing better to do


def organisation_line(org: Organisation) -> str:
    """ "Name (ACRONYM), City, Country" — the form OHCHR's summary uses for joint submissions."""
    line = clean_text(org.name).strip()
    if org.acronym.strip():
        line += f" ({clean_text(org.acronym).strip()})"
    place = ", ".join(clean_text(p).strip() for p in (org.city, org.country) if p.strip())
    return f"{line}, {place}" if place else line


def lists_organisations(doc: ReportDocument) -> bool:
    """Whether the exports write the organisations list at the start of the text."""
    return doc.cover.submission_type == SubmissionType.JOINT and bool(doc.organisations)


def organisations_heading() -> str:
    return _("Submitting organisations")


def submission_type_label(kind: SubmissionType | str) -> str:
    return _("Joint submission") if kind == SubmissionType.JOINT else _("Individual submission")


def session_text(cover: CoverInformation) -> str:
    """ "UPR 47 (November 2024)", "November 2024" or "UPR 47", whatever is known."""
    month = clean_text(cover.session_month_year).strip()
    if cover.session and month:
        return _("UPR %(session)s (%(month)s)") % {"session": cover.session, "month": month}
    if cover.session:
        return _("UPR %(session)s") % {"session": cover.session}
    return month


@dataclass(frozen=True)
class CoverLine:
    key: str  # stable field name, for the reader
    label: str  # in the active language
    value: str


def cover_label(key: str) -> str:
    labels = {
        "submission_type": _("Type of submission"),
        "state": _("State under review"),
        "session": _("UPR session"),
        "main_submitter": _("Main submitter"),
        "contact_name": _("Contact person"),
        "contact_email": _("E-mail"),
        "period": _("Period covered"),
        "key_words": _("Key words"),
        "organisation": _("About the organisation"),
    }
    return labels[key]


COVER_KEYS = (
    "submission_type",
    "state",
    "session",
    "main_submitter",
    "contact_name",
    "contact_email",
    "period",
    "key_words",
    "organisation",
)


def cover_lines(doc: ReportDocument) -> list[CoverLine]:
    """The cover block, in order; empty fields are left out."""
    if doc.cover_override is not None:
        return [
            CoverLine("custom", clean_text(label).strip(), clean_text(value).strip())
            for label, value in doc.cover_override
            if value.strip()
        ]
    cover = doc.cover
    state = clean_text(cover.state_name or cover.state_code).strip()
    period = ""
    if cover.period_start or cover.period_end:
        period = f"{clean_text(cover.period_start)} – {clean_text(cover.period_end)}".strip(" –")
    values = [
        ("submission_type", submission_type_label(cover.submission_type)),
        ("state", state),
        ("session", session_text(cover)),
        ("main_submitter", clean_text(cover.main_submitter).strip()),
        ("contact_name", clean_text(cover.contact_name).strip()),
        ("contact_email", clean_text(cover.contact_email).strip()),
        ("period", period),
        ("key_words", ", ".join(clean_text(k).strip() for k in cover.key_words if k.strip())),
    ]
    lines = [CoverLine(key, cover_label(key), value) for key, value in values if value]
    for org in doc.organisations:
        description = clean_text(org.description).strip()
        if description:
            lines.append(
                CoverLine(
                    "organisation",
                    cover_label("organisation"),
                    f"{organisation_line(org)} — {description}",
                )
            )
    return lines


def all_cover_labels() -> dict[str, str]:
    """casefolded label → key, in every language the app writes reports in (for the reader)."""
    from django.conf import settings

    codes = {"en", "fr", "es"} | {code for code, _name in getattr(settings, "LANGUAGES", [])}
    found: dict[str, str] = {}
    for code in sorted(codes):
        with override(code):
            for key in COVER_KEYS:
                found.setdefault(cover_label(key).casefold(), key)
            found.setdefault(organisations_heading().casefold(), "organisations_heading")
    return found
