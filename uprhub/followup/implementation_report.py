"""The civil-society implementation report of a round, and its section in a shadow report.

Built from the round's PUBLISHED positions only: a draft or a position in review is counted as
"not yet assessed" and never listed, and nothing says who drafted what. The report is a
`uprhub.reports.document.ReportDocument`, so the Write exporters (Word, PDF) print it:

* a title page of its own (State, review, round, as-of date, scale), not OHCHR's submission
  cover — `ReportDocument.cover_override`, an addition to the exporters;
* the scale and its definitions, then the summary: the headline figures ("supported but not
  implemented") as unnumbered paragraphs and a table of recommendations per grade and per
  response — `reports.document.Table`, which both exporters write (a Word table with a
  repeated header row, an HTML table with scoped headers in the PDF);
* a part per theme of the review's most-used vocabulary ("Other recommendations" last), each
  recommendation a numbered paragraph with its assessment after it and the evidence as
  footnotes.

Everything is ordered by name or paragraph number, so the same data gives the same text.

`insert_implementation_section` writes a short version of it into a draft shadow report on the
same State's later review, through `uprhub.reports.services` (so the reports' permissions
apply: its lead and drafters, drafts only).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import caches
from django.db import transaction
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import Label, Recommendation
from uprhub.recommendations.models import Position as Response
from uprhub.reports import document as doc
from uprhub.reports import services as report_services
from uprhub.reports.citations import compress_paragraphs, position_label
from uprhub.reports.layout import file_stem
from uprhub.reports.models import Report, ReportSection, SectionKind

from .models import NOT_IMPLEMENTED_BUCKETS, AssessmentRound, EvidenceItem, Grade, Position

#: The responses that count as "supported" in the headline figure: a recommendation supported
#: in part was supported too (the part the State accepted is what it promised to do).
SUPPORTED_RESPONSES = (Response.SUPPORTED, Response.SUPPORTED_IN_PART)
#: Title of the section inserted into a shadow report (translated in the report's language).
SECTION_TITLE = gettext_lazy("Implementation of previous recommendations")
#: Longest evidence quote in the inserted section's footnotes (they count towards the limit).
SECTION_QUOTE_CHARS = 300
FORMATS = ("docx", "pdf")
#: How long a downloaded file is kept (see `render`).
CACHE_SECONDS = 600
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class ImplementationReportError(Exception):
    """A report that cannot be made (nothing published, PDF engine missing…); message for users."""


# --- what the report says ----------------------------------------------------------------------


@dataclass
class Entry:
    """One published position with what the report prints about it."""

    position: Position
    recommendation: Recommendation
    recommenders: list[str]
    evidence: list[EvidenceItem]


@dataclass
class Part:
    """A theme and its published positions, in paragraph order."""

    title: str
    entries: list[Entry]


@dataclass
class Summary:
    recommendations: int  # of the review
    published: int
    by_grade: list[tuple[Grade, int]]  # every grade of the scale, in its order
    by_response: list[tuple[str, int]]  # (response value, published positions)
    supported: int  # published positions on supported recommendations
    supported_not_implemented: int
    # The table: published positions per (grade id, response), and the review's
    # recommendations per response (those present in the review, in the usual order).
    by_grade_and_response: dict[tuple[int, str], int] = field(default_factory=dict)
    received_by_response: list[tuple[str, int]] = field(default_factory=list)

    @property
    def not_yet_assessed(self) -> int:
        return self.recommendations - self.published


@dataclass
class ImplementationData:
    round: AssessmentRound
    summary: Summary
    parts: list[Part] = field(default_factory=list)


def published_positions(round_: AssessmentRound) -> QuerySet[Position]:
    """The round's published positions with everything the report prints (fixed queries)."""
    return (
        Position.objects.published()
        .filter(round=round_)
        .select_related("grade", "recommendation__review__state", "recommendation__review__session")
        .prefetch_related(
            "recommendation__recommending_states",
            Prefetch("evidence", EvidenceItem.objects.order_by("order", "pk")),
        )
        .order_by(
            "recommendation__paragraph_sort", "recommendation__paragraph", "recommendation_id"
        )
    )


def round_with_report(slug: str) -> AssessmentRound | None:
    """The round whose report may be shown: it exists and has a published position."""
    round_ = round_by_slug(slug)
    return round_ if round_ is not None and has_published(round_) else None


def round_by_slug(slug: str) -> AssessmentRound | None:
    return (
        AssessmentRound.objects.select_related("review__state", "review__session", "scale")
        .filter(slug=slug)
        .first()
    )


def has_published(round_: AssessmentRound) -> bool:
    return Position.objects.published().filter(round=round_).exists()


def _require_published(round_: AssessmentRound) -> None:
    if not has_published(round_):
        raise ImplementationReportError(
            _("The round “%(round)s” has no published position yet: there is nothing to report.")
            % {"round": round_.name}
        )


def _primary_themes(round_: AssessmentRound, ids: Iterable[int]) -> dict[int, str]:
    """Each recommendation's theme in the review's most-used vocabulary (id → name).

    A recommendation with several themes of that vocabulary goes under the one the review uses
    most (then the first by name), so each is listed once and the parts add up to the total.
    """
    review_labels = Label.objects.filter(recommendation__review=round_.review)
    top = (
        review_labels.values("theme__vocabulary_id")
        .annotate(n=Count("id"))
        .order_by("-n", "theme__vocabulary_id")
        .first()
    )
    if top is None:
        return {}
    in_vocabulary = review_labels.filter(theme__vocabulary_id=top["theme__vocabulary_id"])
    usage = Counter(dict(in_vocabulary.values_list("theme_id").annotate(n=Count("id"))))
    themes: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    rows = in_vocabulary.filter(recommendation_id__in=list(ids)).select_related("theme__vocabulary")
    for label in rows:
        theme = label.theme
        themes[label.recommendation_id].append((-usage[theme.pk], theme.name, theme.display_name))
    return {rec_id: min(found)[2] for rec_id, found in themes.items()}


def collect(round_: AssessmentRound) -> ImplementationData:
    """What the report says about `round_` (in the active language)."""
    _require_published(round_)
    positions = list(published_positions(round_))
    grades = list(round_.scale.grades.order_by("order", "pk"))
    grade_counts = Counter(p.grade_id for p in positions)
    response_counts = Counter(p.recommendation.position for p in positions)
    supported = [p for p in positions if p.recommendation.position in SUPPORTED_RESPONSES]
    received = dict(
        round_.review.recommendations.values_list("position").annotate(n=Count("id")).order_by()
    )
    summary = Summary(
        recommendations=sum(received.values()),
        published=len(positions),
        by_grade=[(g, grade_counts.get(g.pk, 0)) for g in grades],
        by_response=[(r, response_counts[r]) for r in Response.values if response_counts.get(r)],
        supported=len(supported),
        supported_not_implemented=sum(
            1 for p in supported if p.grade.bucket in NOT_IMPLEMENTED_BUCKETS
        ),
        by_grade_and_response=dict(
            Counter((p.grade_id, p.recommendation.position) for p in positions)
        ),
        received_by_response=[(r, received[r]) for r in Response.values if received.get(r)],
    )
    themes = _primary_themes(round_, [p.recommendation_id for p in positions])
    other = _("Other recommendations")
    grouped: dict[str, list[Entry]] = defaultdict(list)
    for position in positions:
        recommendation = position.recommendation
        grouped[themes.get(recommendation.pk, other)].append(
            Entry(
                position=position,
                recommendation=recommendation,
                recommenders=sorted(
                    s.display_name for s in recommendation.recommending_states.all()
                ),
                evidence=list(position.evidence.all()),
            )
        )
    titles = sorted((t for t in grouped if t != other), key=str.casefold)
    if other in grouped:
        titles.append(other)
    return ImplementationData(round_, summary, [Part(t, grouped[t]) for t in titles])


# --- words ---------------------------------------------------------------------------------------

_ORDINALS = {
    1: gettext_lazy("1st"),
    2: gettext_lazy("2nd"),
    3: gettext_lazy("3rd"),
    4: gettext_lazy("4th"),
    5: gettext_lazy("5th"),
    6: gettext_lazy("6th"),
}


def _ordinal(number: int) -> str:
    found = _ORDINALS.get(number)
    return str(found) if found else _("%(number)sth") % {"number": number}


def _date(value: date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def grade_label(grade: Grade) -> str:
    """ "B – Partially satisfactory", the shipped labels translated."""
    return f"{grade.code} – {grade.display_label}"


def report_title(round_: AssessmentRound) -> str:
    review = round_.review
    return _(
        "Implementation of the recommendations received by %(state)s in its %(nth)s review: "
        "civil-society assessment, %(round)s"
    ) % {
        "state": review.state.display_name,
        "nth": _ordinal(review.session.cycle_id),
        "round": round_.name,
    }


def evidence_note(item: EvidenceItem, max_quote: int | None = None) -> str:
    """A footnote: where (symbol and paragraph, or the citation), the quote, address and date.

    `max_quote` shortens the quote (with "…") where space counts: a shadow report's footnotes
    count against OHCHR's word limit."""
    parts: list[str] = []
    if item.document_symbol:
        where = item.document_symbol
        if item.paragraph:
            where = _("%(symbol)s, para. %(paragraph)s") % {
                "symbol": item.document_symbol,
                "paragraph": item.paragraph,
            }
        parts.append(where)
    if item.title:
        parts.append(item.title)
    if not parts:
        parts.append(str(item.get_kind_display()))
    text = ", ".join(parts)
    quote = " ".join(item.quote.split())
    if max_quote is not None and len(quote) > max_quote:
        quote = quote[:max_quote].rsplit(" ", 1)[0] + "…"
    if quote:
        text += f": “{quote}”"
    extra = [x for x in (item.url, _date(item.date)) if x]
    if extra:
        text += f" ({', '.join(extra)})"
    return text + "."


def _recommendation_sentence(entry: Entry) -> str:
    rec = entry.recommendation
    values = {
        "paragraph": rec.paragraph or rec.pk,
        "states": ", ".join(entry.recommenders),
        "response": position_label(rec.position, rec.position_as_published),
        "text": " ".join(rec.text.split()),
    }
    if entry.recommenders:
        return _("Recommendation %(paragraph)s (%(states)s), %(response)s: “%(text)s”") % values
    return _("Recommendation %(paragraph)s, %(response)s: “%(text)s”") % values


def _assessment_sentence(entry: Entry) -> str:
    text = _("Assessment: %(grade)s.") % {"grade": grade_label(entry.position.grade)}
    rationale = " ".join(entry.position.rationale.split())
    return f"{text} {rationale}" if rationale else text


def _plain(text: str) -> doc.Paragraph:
    return doc.Paragraph(text=text, is_numbered=False)


def _summary_paragraphs(summary: Summary) -> list[doc.Paragraph]:
    lines = [
        _("Recommendations received: %(n)s.") % {"n": summary.recommendations},
        _("Assessed (published positions): %(n)s.") % {"n": summary.published},
        _("Not yet assessed: %(n)s.") % {"n": summary.not_yet_assessed},
        _(
            "Supported but not implemented: %(n)s of %(supported)s supported recommendations "
            "assessed."
        )
        % {"n": summary.supported_not_implemented, "supported": summary.supported},
    ]
    return [_plain(line) for line in lines]


def summary_table(summary: Summary) -> doc.Table:
    """Recommendations per grade (rows) and the State's response (columns), with the ones not
    yet assessed and the totals: the counts per grade and per response in one grid."""
    responses = [r for r, _n in summary.received_by_response]
    cells = summary.by_grade_and_response
    rows: list[list[str]] = []
    for grade, total in summary.by_grade:
        counts = [cells.get((grade.pk, r), 0) for r in responses]
        rows.append([grade_label(grade), *map(str, counts), str(total)])
    assessed = Counter(dict(summary.by_response))
    unassessed = [n - assessed.get(r, 0) for r, n in summary.received_by_response]
    rows.append([_("Not yet assessed"), *map(str, unassessed), str(summary.not_yet_assessed)])
    received = [n for _r, n in summary.received_by_response]
    rows.append([_("Total"), *map(str, received), str(summary.recommendations)])
    return doc.Table(
        header=[_("Grade"), *(str(Response(r).label) for r in responses), _("Total")],
        rows=rows,
        caption=_("Recommendations by grade and by the State's response"),
    )


def build_document(round_: AssessmentRound, language: str = "en") -> doc.ReportDocument:
    """The implementation report of `round_` as a `ReportDocument`, paragraphs numbered."""
    with translation.override(language):
        data = collect(round_)
        review = round_.review
        scale = round_.scale
        sections = [
            doc.Section(
                title=_("The scale used"),
                kind="other",
                paragraphs=[_plain(f"{_(scale.name)}. {_(scale.source)}".strip(". ") + ".")]
                + [
                    _plain(
                        f"{grade_label(g)}: {_(g.description)}" if g.description else grade_label(g)
                    )
                    for g in scale.grades.order_by("order", "pk")
                ],
            ),
            doc.Section(
                title=_("Summary"),
                kind="other",
                paragraphs=_summary_paragraphs(data.summary),
                table=summary_table(data.summary),
            ),
        ]
        for part in data.parts:
            paragraphs: list[doc.Paragraph] = []
            for entry in part.entries:
                paragraphs.append(doc.Paragraph(text=_recommendation_sentence(entry)))
                paragraphs.append(
                    doc.Paragraph(
                        text=_assessment_sentence(entry),
                        footnotes=[doc.Footnote(evidence_note(e)) for e in entry.evidence],
                        is_numbered=False,
                    )
                )
            sections.append(doc.Section(title=part.title, kind="other", paragraphs=paragraphs))
        state = review.state
        cover_lines = [
            (_("State under review"), state.display_name),
            (_("Review"), _("UPR %(session)s") % {"session": review.session_id}),
            (_("Assessment round"), round_.name),
            (_("Assessed as of"), _date(round_.as_of)),
            (_("Scale"), _(scale.name)),
        ]
        document = doc.ReportDocument(
            title=report_title(round_),
            cover=doc.CoverInformation(
                state_name=state.display_name,
                state_code=state.iso3 or state.code,
                session=review.session_id,
                cycle=review.session.cycle_id,
                language=language,
            ),
            sections=sections,
            states_mentioned=[state.iso3 or state.code],
            cover_override=cover_lines,
        )
    document.number_paragraphs()
    return document


def filename_for(round_: AssessmentRound, fmt: str) -> str:
    """ "USA-UPR36-implementation-mid-term-2022.docx" """
    state = round_.review.state
    code = (state.iso3 or state.code).upper()
    stem = file_stem("implementation", round_.slug) or "implementation"
    return f"{code}-UPR{round_.review.session_id}-{stem}.{fmt}"


def _fingerprint(round_: AssessmentRound, fmt: str, language: str) -> str:
    """What the file depends on, in one key: a publication, a withdrawal, a change of a
    published position or of its evidence, or of the round, gives a new key."""
    published = Position.objects.published().filter(round=round_)
    positions = published.aggregate(n=Count("id"), last=Max("updated_at"))
    evidence = EvidenceItem.objects.filter(position__in=published).aggregate(
        n=Count("id"), last=Max("created_at")
    )
    parts = (
        round_.pk,
        round_.updated_at,
        fmt,
        language,
        positions["n"],
        positions["last"],
        evidence["n"],
        evidence["last"],
        round_.review.recommendations.count(),
    )
    return "followup-report:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def render(
    round_: AssessmentRound, fmt: str, language: str = "en", *, cached: bool = False
) -> bytes:
    """The report as a file: Word or PDF, with the reports' own exporters.

    `cached` (the public downloads): keep the file in the ``default`` cache under its
    `_fingerprint`. A PDF of 347 recommendations takes about 25 s of CPU, and anyone may ask
    for it; a change the fingerprint misses (an edited evidence quote) shows within
    `CACHE_SECONDS`.
    """
    if fmt not in FORMATS:
        raise ImplementationReportError(_("Unknown export format."))
    if not cached:
        return _render(round_, fmt, language)
    key = _fingerprint(round_, fmt, language)
    found = caches["default"].get(key)
    if found is None:
        found = _render(round_, fmt, language)
        caches["default"].set(key, found, CACHE_SECONDS)
    return found


def _render(round_: AssessmentRound, fmt: str, language: str) -> bytes:
    document = build_document(round_, language)
    if fmt == "docx":
        from uprhub.reports.export.docx import build_docx

        return build_docx(document)
    from uprhub.reports.export import pdf

    try:
        return pdf.build_pdf(document)
    except pdf.PdfUnavailable as error:
        raise ImplementationReportError(
            error.message or _("PDF export is not available here; export Word instead.")
        ) from error


# --- the section in a shadow report --------------------------------------------------------------


def target_reports(user: object, round_: AssessmentRound) -> QuerySet[Report]:
    """Drafts `user` may write in, on a later review of the round's State."""
    review = round_.review
    return (
        Report.objects.editable_by(user)
        .filter(review__state=review.state, review__session__number__gt=review.session.number)
        .select_related("review__state", "review__session")
        .order_by("review__session__number", "title", "pk")
    )


def _section_title(report: Report) -> str:
    with translation.override(report.language):
        return str(SECTION_TITLE)


def _theme_paragraph(part: Part) -> tuple[str, list[str]]:
    """One concise paragraph for a theme: counts by grade, then the supported ones not
    implemented, named by paragraph number (the citation above lists them in full)."""
    counts = Counter(grade_label(e.position.grade) for e in part.entries)
    order = {grade_label(e.position.grade): e.position.grade.order for e in part.entries}
    graded = "; ".join(
        f"{label}: {counts[label]}" for label in sorted(counts, key=order.__getitem__)
    )
    text = ngettext(
        "%(theme)s: %(n)s recommendation assessed (%(grades)s).",
        "%(theme)s: %(n)s recommendations assessed (%(grades)s).",
        len(part.entries),
    ) % {"theme": part.title, "n": len(part.entries), "grades": graded}
    failing = [
        e
        for e in part.entries
        if e.recommendation.position in SUPPORTED_RESPONSES
        and e.position.grade.bucket in NOT_IMPLEMENTED_BUCKETS
    ]
    if failing:
        text += " " + ngettext(
            "Supported but not implemented: recommendation %(numbers)s.",
            "Supported but not implemented: recommendations %(numbers)s.",
            len(failing),
        ) % {"numbers": compress_paragraphs(e.recommendation.paragraph for e in failing)}
    notes = [evidence_note(item, SECTION_QUOTE_CHARS) for e in failing for item in e.evidence]
    return text, list(dict.fromkeys(notes))[: report_services.MAX_FOOTNOTES]


@transaction.atomic
def insert_implementation_section(
    actor: Actor, report: Report, round_: AssessmentRound
) -> ReportSection:
    """Add the "Implementation of previous recommendations" section to a draft shadow report.

    One paragraph per theme; the section cites every assessed recommendation (the report
    writes them as its first paragraph, with the UN documents as footnotes); the evidence of
    the supported-but-not-implemented ones are the theme paragraph's footnotes.

    Inserting twice is refused rather than replacing: people edit the inserted text, and a
    replacement would throw their work away. Remove the section first to insert it afresh.
    """
    require_perm(
        actor,
        "reports.edit",
        report,
        state_error=ImplementationReportError(
            _("This report is final: reopen it to add a section.")
        ),
    )
    report = Report.objects.select_related("review__state", "review__session").get(pk=report.pk)
    review = round_.review
    if report.review.state_id != review.state_id:
        raise ImplementationReportError(
            _("This report is about %(state)s; the round assesses %(other)s.")
            % {"state": report.review.state.display_name, "other": review.state.display_name}
        )
    if report.review.session.number <= review.session.number:
        raise ImplementationReportError(
            _(
                "The section goes into a report on a later review than the one assessed "
                "(UPR %(session)s)."
            )
            % {"session": review.session_id}
        )
    _require_published(round_)
    title = _section_title(report)
    if report.sections.filter(kind=SectionKind.FOLLOW_UP, title=title).exists():
        raise ImplementationReportError(
            _("“%(title)s” is already in this report; remove the section first to insert it again.")
            % {"title": title}
        )
    with translation.override(report.language):
        data = collect(round_)
        section = report_services.add_section(
            report, kind=SectionKind.FOLLOW_UP, title=title, actor=actor
        )
        report_services.cite(
            section, [e.recommendation for p in data.parts for e in p.entries], actor=actor
        )
        summary = data.summary
        report_services.add_paragraph(
            section,
            _(
                "Civil society assessed %(published)s of the %(total)s recommendations %(state)s "
                "received in its %(nth)s review (%(round)s, as of %(date)s). Of the %(supported)s "
                "supported recommendations assessed, %(failing)s have not been implemented."
            )
            % {
                "published": summary.published,
                "total": summary.recommendations,
                "state": review.state.display_name,
                "nth": _ordinal(review.session.cycle_id),
                "round": round_.name,
                "date": _date(round_.as_of),
                "supported": summary.supported,
                "failing": summary.supported_not_implemented,
            },
            actor=actor,
        )
        for part in data.parts:
            text, notes = _theme_paragraph(part)
            report_services.add_paragraph(section, text, notes, actor=actor)
    return section
