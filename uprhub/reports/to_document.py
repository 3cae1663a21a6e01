"""Models → `ReportDocument`: what the validator checks and the exporters write.

The document is derived on every use and never stored, so paragraph numbers, the cover sheet
and the cited recommendations always match the text. Cited recommendations become the first
paragraph of their section ("Recommendations 26.178–26.181 (Switzerland, Morocco …),
supported."), with the UN documents as its footnotes. Headings, position labels and dates are
written in the report's language.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from uprhub.calendar.models import GENEVA_TZ
from uprhub.reviews.models import Review

from . import document as doc
from .citations import citation_sentence
from .models import Paragraph, Report, ReportOrganisation, ReportSection, SectionKind
from .selectors import ordered_sections, previous_review, stakeholder_deadline


def citation_key(section: ReportSection) -> str:
    """Key of the generated citation paragraph of a section."""
    return f"c{section.pk}"


def _organisation(member: ReportOrganisation) -> doc.Organisation:
    organisation = member.organisation
    description = member.description_text.strip()
    if organisation.established_on and str(organisation.established_on.year) not in description:
        established = _("Established in %(year)s.") % {"year": organisation.established_on.year}
        description = f"{description} {established}".strip()
    return doc.Organisation(
        name=organisation.name,
        acronym=organisation.acronym,
        city=organisation.city,
        country=organisation.country,
        description=description,
        website=organisation.website,
    )


def _paragraph(paragraph: Paragraph) -> doc.Paragraph:
    return doc.Paragraph(
        text=paragraph.text,
        footnotes=[doc.Footnote(str(f)) for f in paragraph.footnotes or [] if str(f).strip()],
        key=paragraph.key,
    )


def _section(section: ReportSection, level: int) -> doc.Section:
    paragraphs: list[doc.Paragraph] = []
    cited = citation_sentence(c.recommendation for c in section.citations.all())
    if cited is not None:
        paragraphs.append(
            doc.Paragraph(
                text=cited.text,
                footnotes=[doc.Footnote(s) for s in cited.sources],
                key=citation_key(section),
            )
        )
    paragraphs += [_paragraph(p) for p in section.paragraphs.all()]
    return doc.Section(title=section.title, kind=section.kind, paragraphs=paragraphs, level=level)


def _cover(
    report: Report, previous: Review | None, deadline: datetime | None
) -> doc.CoverInformation:
    review = report.review
    session = review.session
    members = list(report.members.all())
    when = session.start_date
    period_start = ""
    if previous is not None:
        start = previous.review_date or previous.session.start_date
        period_start = start.isoformat() if start else ""
    # The period runs to the submission: the stakeholder deadline (its day in Geneva, where
    # OHCHR sets it), or today when no deadline is known.
    end = deadline.astimezone(ZoneInfo(GENEVA_TZ)).date() if deadline else timezone.localdate()
    return doc.CoverInformation(
        state_name=review.state.un_name or review.state.short_name,
        state_code=review.state.iso3 or review.state.code,
        session=session.number,
        session_month_year=formats.date_format(when, "F Y") if when else "",
        cycle=session.cycle_id,
        contact_name=report.contact_name,
        contact_email=report.contact_email,
        submission_type=doc.SubmissionType(report.submission_type),
        main_submitter=members[0].organisation.name if members else "",
        key_words=report.key_word_list,
        language=report.language,
        period_start=period_start,
        period_end=end.isoformat() if period_start else "",
        last_review_date=period_start,
    )


def to_document(
    report: Report,
    *,
    deadline: datetime | None = None,
    previous: Review | None = None,
    replace: dict[int, tuple[str, list[str]]] | None = None,
    append: dict[int, tuple[str, list[str]]] | None = None,
) -> doc.ReportDocument:
    """The report as plain data, paragraphs numbered.

    `report` must come from ``selectors.report_with_everything`` (no query is run here).
    `replace` maps paragraph ids to (text, footnotes) not yet saved — the live word count
    of a paragraph someone is typing; `append` maps section ids to a new paragraph being typed.
    """
    replace, append = replace or {}, append or {}
    with translation.override(report.language):
        sections: list[doc.Section] = []
        follow_up_heading = False
        for section in ordered_sections(report):
            level = 1
            if section.kind == SectionKind.FOLLOW_UP:
                if not follow_up_heading:
                    sections.append(
                        doc.Section(
                            title=_("Follow-up to the previous review"),
                            kind=SectionKind.FOLLOW_UP,
                            level=1,
                        )
                    )
                    follow_up_heading = True
                level = 2
            built = _section(section, level)
            for paragraph in built.paragraphs:
                pk = int(paragraph.key[1:]) if paragraph.key.startswith("p") else None
                if pk in replace:
                    text, footnotes = replace[pk]
                    paragraph.text = text
                    paragraph.footnotes = [doc.Footnote(f) for f in footnotes if f.strip()]
            if section.pk in append and append[section.pk][0].strip():
                text, footnotes = append[section.pk]
                built.paragraphs.append(
                    doc.Paragraph(
                        text=text, footnotes=[doc.Footnote(f) for f in footnotes], key="new"
                    )
                )
            sections.append(built)
        document = doc.ReportDocument(
            title=report.title,
            cover=_cover(report, previous, deadline),
            organisations=[_organisation(m) for m in report.members.all()],
            sections=sections,
            deadline=deadline,
            states_mentioned=[report.review.state.iso3 or report.review.state.code],
        )
    document.number_paragraphs()
    return document


def document_for(
    report: Report,
    *,
    replace: dict[int, tuple[str, list[str]]] | None = None,
    append: dict[int, tuple[str, list[str]]] | None = None,
) -> doc.ReportDocument:
    """`to_document` with the review's stakeholder deadline and previous review (two queries)."""
    return to_document(
        report,
        deadline=stakeholder_deadline(report.review),
        previous=previous_review(report.review),
        replace=replace,
        append=append,
    )


def paragraph_numbers(document: doc.ReportDocument) -> dict[str, int]:
    """Paragraph key → its number in the document."""
    return {p.key: p.number for p in document.paragraphs() if p.key and p.number is not None}
