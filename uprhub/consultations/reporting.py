"""From a consultation into a shadow report ("Into the report"), and back when testimony changes.

* `add_theme_sections` ("Create report section"): into a draft report of the same review, one
  section per chosen theme: a summary line with counts, consented anonymised quotes each with
  a footnote to the consultation, and the linked recommendations cited.
* `create_brief_report` ("Brief consultation report"): the city's individual submission made
  from the consultation, within the word limit.
* `on_withdrawn` / `on_redacted`, connected in `ConsultationsConfig.ready()`: every paragraph
  made from a testimony (`ParagraphSource`) loses the quote (withdrawal) or follows its new
  redaction, history included, and its authors get a comment from UPR Hub.

Testimony is read only through `selectors.quotable` (quotes) and `selectors.counted` (counts),
and a quote is the redacted text: never a name, never the original. Every write to the report
goes through `uprhub.reports.services` with the actor, so the report's own rules apply (lead or
drafter, draft only); the corrections after a withdrawal are the system's
(`reports.services.correct_paragraph`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uprhub.accounts.models import Organisation
from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import Recommendation, SuggestionStatus, Theme
from uprhub.recommendations.theme_names import theme_name
from uprhub.reports import selectors as report_selectors
from uprhub.reports import services as report_services
from uprhub.reports.citations import compress_paragraphs
from uprhub.reports.models import Paragraph, Report, ReportSection, SectionKind, SubmissionType
from uprhub.reports.rules import rules_for_cycle
from uprhub.reports.validator import count_words

from . import selectors
from .models import Consultation, ParagraphSource, TagKind, Testimony, TestimonyTag

#: A quote longer than this is cut (with "…"): a report quotes, it does not reprint.
MAX_QUOTE_WORDS = 60
#: Quotes per theme in a section made from the synthesis, and in the brief report.
SECTION_QUOTES = 3
BRIEF_QUOTES = 2
#: The brief report keeps this share of the word limit free for the drafters' own words.
BRIEF_BUDGET = 0.85


class ReportingError(ValueError):
    """A refusal the person can act on (translated, safe to show)."""


# --- reading what the consultation found -----------------------------------------------------


@dataclass(frozen=True)
class ThemeCount:
    theme: Theme
    count: int  # participants whose testimony a moderator tagged with it

    @property
    def label(self) -> str:
        return theme_name(self.theme.name, self.theme.vocabulary.slug)


def _accepted(kind: str) -> QuerySet[TestimonyTag]:
    return TestimonyTag.objects.filter(kind=kind, status=SuggestionStatus.ACCEPTED)


def participants(consultation: Consultation) -> int:
    return selectors.counted(consultation).count()


def theme_counts(consultation: Consultation) -> list[ThemeCount]:
    """Accepted themes of the counted testimony, most raised first."""
    rows = (
        _accepted(TagKind.THEME)
        .filter(testimony__in=selectors.counted(consultation), theme__isnull=False)
        .values("theme")
        .annotate(n=Count("testimony", distinct=True))
    )
    counts = {row["theme"]: row["n"] for row in rows}
    themes = Theme.objects.select_related("vocabulary").filter(pk__in=counts)
    found = [ThemeCount(theme, counts[theme.pk]) for theme in themes]
    return sorted(found, key=lambda t: (-t.count, t.theme.name))


def _counted_with(consultation: Consultation, theme: Theme) -> QuerySet[Testimony]:
    tagged = _accepted(TagKind.THEME).filter(theme=theme).values("testimony")
    return selectors.counted(consultation).filter(pk__in=tagged)


def _quotable_with(consultation: Consultation, theme: Theme) -> QuerySet[Testimony]:
    tagged = _accepted(TagKind.THEME).filter(theme=theme).values("testimony")
    return selectors.quotable(consultation).filter(pk__in=tagged).exclude(text="").order_by("pk")


def linked_recommendations(
    consultation: Consultation, theme: Theme, report: Report | None = None
) -> list[Recommendation]:
    """The State's past recommendations a moderator linked to testimony on this theme."""
    about = _counted_with(consultation, theme).values("pk")
    linked = (
        _accepted(TagKind.RECOMMENDATION)
        .filter(testimony__in=about, recommendation__isnull=False)
        .values("recommendation")
    )
    found = Recommendation.objects.filter(
        pk__in=linked, review__state_id=consultation.review.state_id
    ).select_related("review__state", "review__session")
    return sorted(found, key=lambda r: (r.review.session_id, r.paragraph, r.pk))


def report_or_404(pk: Any) -> Report:
    """The report chosen in a form, or 404 (whether one may write in it is the service's)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    report = Report.objects.select_related("review__state").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def organisations_for(user: Any) -> list[Organisation]:
    """The organisations `user` may name as the brief report's submitter."""
    return list(report_selectors.organisations_to_submit_for(user))


def editable_reports(consultation: Consultation, user: Any) -> list[Report]:
    """Draft shadow reports of the consultation's review that `user` may write in."""
    return list(
        Report.objects.editable_by(user)
        .filter(review_id=consultation.review_id)
        .select_related("review__state")
        .order_by("title", "pk")
    )


# --- the words --------------------------------------------------------------------------------


def quote_of(testimony: Testimony) -> str:
    """The words quoted from a testimony: its redacted text on one line, cut when long."""
    words = testimony.text.split()
    if len(words) > MAX_QUOTE_WORDS:
        return " ".join(words[:MAX_QUOTE_WORDS]) + " …"
    return " ".join(words)


def _lower_first(label: str) -> str:
    # "Police violence" reads "raised police violence"; "LGBTI rights" keeps its capitals.
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def summary_sentence(consultation: Consultation, count: int, total: int, label: str) -> str:
    """ "41 of 212 participants in Pittsburgh raised police violence." (active language)"""
    values = {
        "count": count,
        "total": total,
        "place": consultation.place or consultation.title,
        "theme": _lower_first(label),
    }
    if consultation.place:
        return (
            ngettext(
                "%(count)s of %(total)s participant in %(place)s raised %(theme)s.",
                "%(count)s of %(total)s participants in %(place)s raised %(theme)s.",
                total,
            )
            % values
        )
    return (
        ngettext(
            "%(count)s of %(total)s participant in the consultation “%(place)s” raised %(theme)s.",
            "%(count)s of %(total)s participants in the consultation “%(place)s” raised %(theme)s.",
            total,
        )
        % values
    )


def quote_sentence(quote: str) -> str:
    return _("A participant said: “%(quote)s”") % {"quote": quote}


def _dates(consultation: Consultation) -> str:
    def day(value: Any) -> str:
        return formats.date_format(timezone.localtime(value).date(), "j F Y")

    if consultation.opens_at and consultation.closes_at:
        return _("%(start)s to %(end)s") % {
            "start": day(consultation.opens_at),
            "end": day(consultation.closes_at),
        }
    if consultation.opens_at:
        return _("from %(start)s") % {"start": day(consultation.opens_at)}
    if consultation.closes_at:
        return _("until %(end)s") % {"end": day(consultation.closes_at)}
    return ""


def consultation_footnote(consultation: Consultation, total: int) -> str:
    """The source of a quote or a count: the consultation, its place, dates and size."""
    values = {
        "title": consultation.title,
        "place": consultation.place or "",
        "dates": _dates(consultation),
        "n": total,
    }
    if consultation.place and values["dates"]:
        text = ngettext(
            "%(title)s, community consultation in %(place)s, %(dates)s, %(n)s participant.",
            "%(title)s, community consultation in %(place)s, %(dates)s, %(n)s participants.",
            total,
        )
    elif consultation.place:
        text = ngettext(
            "%(title)s, community consultation in %(place)s, %(n)s participant.",
            "%(title)s, community consultation in %(place)s, %(n)s participants.",
            total,
        )
    else:
        text = ngettext(
            "%(title)s, community consultation, %(n)s participant.",
            "%(title)s, community consultation, %(n)s participants.",
            total,
        )
    return text % values


# --- planning the text ------------------------------------------------------------------------


@dataclass
class PlannedParagraph:
    text: str
    footnotes: list[str]
    sources: list[tuple[int, str]]  # (testimony id, exact quote or "")

    @property
    def words(self) -> int:
        return count_words(self.text) + sum(count_words(f) for f in self.footnotes)


@dataclass
class PlannedTheme:
    theme: Theme
    label: str
    kind: str  # SectionKind
    paragraphs: list[PlannedParagraph]
    recommendations: list[Recommendation]
    quotes: list[PlannedParagraph] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(p.words for p in self.paragraphs) + sum(p.words for p in self.quotes)


def _plan_theme(
    consultation: Consultation, theme: Theme, total: int, footnote: str, max_quotes: int
) -> PlannedTheme:
    label = theme_name(theme.name, theme.vocabulary.slug)
    # Locked until the report's transaction commits (called inside it): a withdrawal or a new
    # redaction of these testimonies waits, then finds the paragraphs made from them.
    counted_ids = list(
        _counted_with(consultation, theme).select_for_update().values_list("pk", flat=True)
    )
    summary = PlannedParagraph(
        summary_sentence(consultation, len(counted_ids), total, label),
        [footnote],
        [(pk, "") for pk in counted_ids],
    )
    quotes = []
    for testimony in _quotable_with(consultation, theme).select_for_update()[:max_quotes]:
        quote = quote_of(testimony)
        quotes.append(PlannedParagraph(quote_sentence(quote), [footnote], [(testimony.pk, quote)]))
    recommendations = linked_recommendations(consultation, theme)
    # A theme with past recommendations follows them up (one issue, cited); one without is
    # a new development.
    kind = SectionKind.FOLLOW_UP if recommendations else SectionKind.NEW_DEVELOPMENTS
    return PlannedTheme(theme, label, kind, [summary], recommendations, quotes)


def _record_sources(paragraph: Paragraph, sources: Iterable[tuple[int, str]]) -> None:
    ParagraphSource.objects.bulk_create(
        [ParagraphSource(paragraph=paragraph, testimony_id=pk, quote=q) for pk, q in sources],
        ignore_conflicts=True,
    )


def _add(section: ReportSection, planned: PlannedParagraph, actor: Actor) -> Paragraph:
    paragraph = report_services.add_paragraph(section, planned.text, planned.footnotes, actor=actor)
    _record_sources(paragraph, planned.sources)
    return paragraph


def _write_theme(report: Report, planned: PlannedTheme, actor: Actor) -> ReportSection:
    section = report_services.add_section(
        report, kind=planned.kind, title=planned.label, actor=actor
    )
    if planned.recommendations:
        report_services.cite(section, planned.recommendations, actor=actor)
    for paragraph in [*planned.paragraphs, *planned.quotes]:
        _add(section, paragraph, actor)
    return section


def _check_report(consultation: Consultation, report: Report, actor: Actor) -> None:
    require_perm(actor, "consultations.view_results", consultation)
    require_perm(
        actor,
        "reports.edit",
        report,
        state_error=ReportingError(_("The report is final; its lead can reopen it for changes.")),
    )
    if report.review_id != consultation.review_id:
        raise ReportingError(
            _(
                "This report is for another review; choose a report of the review this "
                "consultation is for."
            )
        )


def _themes(consultation: Consultation, theme_ids: Sequence[int]) -> list[ThemeCount]:
    available = {t.theme.pk: t for t in theme_counts(consultation)}
    chosen = [available[pk] for pk in dict.fromkeys(theme_ids) if pk in available]
    if len(chosen) != len(set(theme_ids)) or not chosen:
        raise ReportingError(_("Choose one or more of the consultation's themes."))
    return chosen


# --- "Create report section" ------------------------------------------------------------------


@dataclass
class Added:
    report: Report
    sections: list[ReportSection]
    paragraphs: int
    quotes: int
    citations: int


def add_theme_sections(
    consultation: Consultation,
    report: Report,
    theme_ids: Sequence[int],
    *,
    actor: Actor,
    max_quotes: int = SECTION_QUOTES,
) -> Added:
    """Add to `report` a draft section per chosen theme (see the module's docstring)."""
    _check_report(consultation, report, actor)
    chosen = _themes(consultation, theme_ids)
    total = participants(consultation)
    sections: list[ReportSection] = []
    paragraphs = quotes = citations = 0
    with transaction.atomic(), translation.override(report.language):
        footnote = consultation_footnote(consultation, total)
        for item in chosen:
            planned = _plan_theme(consultation, item.theme, total, footnote, max_quotes)
            sections.append(_write_theme(report, planned, actor))
            paragraphs += len(planned.paragraphs) + len(planned.quotes)
            quotes += len(planned.quotes)
            citations += len(planned.recommendations)
    report.refresh_from_db()
    return Added(report, sections, paragraphs, quotes, citations)


# --- "Brief consultation report" --------------------------------------------------------------


def _language_names(codes: Sequence[str]) -> str:
    from django.utils.translation import get_language_info

    names = []
    for code in codes:
        try:
            names.append(str(get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(code)
    return ", ".join(names)


def method_paragraph(consultation: Consultation, total: int) -> str:
    values = {
        "title": consultation.title,
        "place": consultation.place or consultation.title,
        "dates": _dates(consultation) or _("during the consultation period"),
        "n": total,
        "languages": _language_names(consultation.languages),
        "state": consultation.review.state.un_name or consultation.review.state.short_name,
    }
    first = ngettext(
        "This submission reports what %(n)s participant told “%(title)s”, a community "
        "consultation held in %(place)s (%(dates)s) for the Universal Periodic Review of "
        "%(state)s, in %(languages)s.",
        "This submission reports what %(n)s participants told “%(title)s”, a community "
        "consultation held in %(place)s (%(dates)s) for the Universal Periodic Review of "
        "%(state)s, in %(languages)s.",
        total,
    )
    rest = _(
        "People took part online, at in-person sessions and on paper, without giving their "
        "name unless they chose to. Each person decided whether they could be quoted; only "
        "testimony given with that consent is quoted here, anonymously, after a moderator "
        "removed personal details. Testimony from people who said they fear reprisals is "
        "counted but never quoted. Each person can withdraw their testimony at any time."
    )
    return f"{first % values} {rest}"


def recommendation_sentence(
    consultation: Consultation, planned: PlannedTheme, total: int
) -> PlannedParagraph:
    summary = planned.paragraphs[0]
    values = {
        "theme": _lower_first(planned.label),
        "place": consultation.place or consultation.title,
        "count": len(summary.sources),
        "total": total,
    }
    text = (
        ngettext(
            "Address %(theme)s, raised by %(count)s of %(total)s participant in %(place)s, "
            "together with the communities concerned.",
            "Address %(theme)s, raised by %(count)s of %(total)s participants in %(place)s, "
            "together with the communities concerned.",
            total,
        )
        % values
    )
    numbers = compress_paragraphs(r.paragraph for r in planned.recommendations if r.paragraph)
    if numbers:
        text += " " + (
            _("Implement recommendations %(numbers)s of the previous reviews.")
            % {"numbers": numbers}
        )
    return PlannedParagraph(text, [], list(summary.sources))


def _word_limit(consultation: Consultation) -> int:
    rule = rules_for_cycle(consultation.review.session.cycle_id).get("word_limit")
    return int(rule.param("individual", 0) or 0) if rule else 0


def _fit(planned: list[PlannedTheme], fixed_words: int, budget: int) -> list[PlannedTheme]:
    """Drop quotes (the last first, one theme at a time), then whole themes, until the text
    fits `budget` words; a brief report must pass the word limit as made."""
    if not budget:
        return planned

    def words() -> int:
        return fixed_words + sum(p.words for p in planned)

    while words() > budget and any(p.quotes for p in planned):
        longest = max(planned, key=lambda p: (len(p.quotes), planned.index(p)))
        longest.quotes.pop()
    while words() > budget and len(planned) > 1:
        planned.pop()
    return planned


def create_brief_report(
    consultation: Consultation,
    *,
    actor: Actor,
    organisation: Organisation,
    language: str = "en",
    title: str = "",
) -> Report:
    """The consultation's brief individual submission, as a draft its maker leads."""
    require_perm(actor, "consultations.view_results", consultation)
    require_perm(actor, "reports.create")
    themes = theme_counts(consultation)
    if not themes:
        raise ReportingError(
            _("No testimony has an accepted theme yet: moderators tag testimony first.")
        )
    review = consultation.review
    with transaction.atomic():
        total = participants(consultation)
        with translation.override(language):
            title = title.strip() or _(
                "%(place)s speaks: a community consultation for the Universal Periodic Review "
                "of %(state)s"
            ) % {
                "place": consultation.place or consultation.title,
                "state": review.state.un_name or review.state.short_name,
            }
            footnote = consultation_footnote(consultation, total)
            counted = selectors.counted(consultation).select_for_update()
            intro = PlannedParagraph(
                method_paragraph(consultation, total),
                [footnote],
                [(pk, "") for pk in counted.values_list("pk", flat=True)],
            )
            planned = [
                _plan_theme(consultation, t.theme, total, footnote, BRIEF_QUOTES) for t in themes
            ]
            # Headings, and the citation paragraph (about 60 words with its UN documents).
            fixed = intro.words + sum(
                count_words(p.label) + (60 if p.recommendations else 0) for p in planned
            )
            recs = [recommendation_sentence(consultation, p, total) for p in planned]
            fixed += sum(r.words for r in recs)
            planned = _fit(planned, fixed, int(_word_limit(consultation) * BRIEF_BUDGET))
            recs = recs[: len(planned)]
        report = report_services.create_report(
            actor=actor,
            review=review,
            submission_type=SubmissionType.INDIVIDUAL,
            organisations=[organisation],
            title=title,
            key_words=", ".join(p.label for p in planned)[:500],
            language=language,
        )
        sections = {s.kind: s for s in report.sections.all()}
        _add(sections[SectionKind.INTRODUCTION], intro, actor)
        for item in planned:
            _write_theme(report, item, actor)
        for rec in recs:
            _add(sections[SectionKind.RECOMMENDATIONS], rec, actor)
    report.refresh_from_db()
    return report


# --- when a testimony is withdrawn or redacted again ------------------------------------------

_NUMBER = re.compile(r"\d+")  # the figures are written plain (summary_sentence)


def _paragraph_language(paragraph_id: int) -> tuple[Paragraph, str]:
    paragraph = Paragraph.objects.select_related("section__report").get(pk=paragraph_id)
    return paragraph, paragraph.section.report.language


def _count_update(
    consultation: Consultation, paragraph: Paragraph, counted_before: int
) -> list[tuple[str, str]]:
    """The figures of a paragraph made here (a summary line, the method paragraph) and its
    footnote, with one participant fewer, when they are still as written; else nothing (the
    flag then asks the authors to check)."""
    text = paragraph.text
    n = counted_before
    if method_paragraph(consultation, n) in text:
        return [
            (method_paragraph(consultation, n), method_paragraph(consultation, n - 1)),
            (consultation_footnote(consultation, n), consultation_footnote(consultation, n - 1)),
        ]
    label = paragraph.section.title
    numbers = {int(m) for m in _NUMBER.findall(text)}
    for total in sorted(t for t in numbers if t >= n):
        before = summary_sentence(consultation, n, total, label)
        if before in text:
            return [
                (before, summary_sentence(consultation, n - 1, total - 1, label)),
                (
                    consultation_footnote(consultation, total),
                    consultation_footnote(consultation, total - 1),
                ),
            ]
    return []


_TOKEN = re.compile(r"\S+")
_PUNCTUATION = "“”«»\"'‘’.,;:!?()[]…"
#: A run of this many words of a withdrawn quote is taken out wherever it is left (an author
#: may have quoted part of it, or edited around it).
FRAGMENT_WORDS = 6


def _word(token: str) -> str:
    return token.strip(_PUNCTUATION).casefold()


def _without_fragments(text: str, quote: str, placeholder: str) -> str:
    """`text` with every run of `FRAGMENT_WORDS` or more consecutive words of `quote` replaced
    by `placeholder` (words compared without case and surrounding punctuation)."""
    words = [_word(t) for t in quote.split()]
    if len(words) < FRAGMENT_WORDS or not text:
        return text
    starts: dict[str, list[int]] = {}
    for j, word in enumerate(words):
        starts.setdefault(word, []).append(j)
    tokens = list(_TOKEN.finditer(text))
    found = [_word(t.group()) for t in tokens]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        longest = 0
        for j in starts.get(found[i], ()):  # only where the quote has this word
            n = 0
            while i + n < len(found) and j + n < len(words) and found[i + n] == words[j + n]:
                n += 1
            longest = max(longest, n)
        if longest >= FRAGMENT_WORDS:
            spans.append((tokens[i].start(), tokens[i + longest - 1].end()))
            i += longest
        else:
            i += 1
    for start, end in reversed(spans):
        text = text[:start] + placeholder + text[end:]
    return text


def _withdrawing(quote: str, placeholder: str) -> Callable[[str], str]:
    def fix(text: str) -> str:
        return _without_fragments(text.replace(quote, placeholder), quote, placeholder)

    return fix


def _replacing(pairs: Sequence[tuple[str, str]]) -> Callable[[str], str]:
    def fix(text: str) -> str:
        for old, new in pairs:
            if old:
                text = text.replace(old, new)
        return text

    return fix


def _sources_of(testimony: Testimony) -> list[ParagraphSource]:
    return list(ParagraphSource.objects.filter(testimony=testimony).order_by("paragraph_id"))


def on_withdrawn(sender: Any, testimony: Testimony, **kwargs: Any) -> None:
    """Every quote of the withdrawn testimony leaves the reports, history included; counts
    made from it go one down where still as written; the authors get a flag either way."""
    consultation = testimony.consultation
    for source in _sources_of(testimony):
        paragraph, language = _paragraph_language(source.paragraph_id)
        with translation.override(language):
            if source.quote:
                fix = _withdrawing(source.quote, _("[quote withdrawn]"))
                notice = _(
                    "A person whose testimony was quoted here withdrew it: UPR Hub removed the "
                    "quote from this paragraph and from its history. Remove or rewrite what is "
                    "left of the paragraph, and check the figures."
                )
            else:
                counted_before = ParagraphSource.objects.filter(paragraph=paragraph).count()
                replacements = _count_update(consultation, paragraph, counted_before)
                fix = _replacing(replacements)
                notice = (
                    _(
                        "A person counted in this paragraph withdrew their testimony: UPR Hub "
                        "lowered the figures by one. Check them against the consultation."
                    )
                    if replacements
                    else _(
                        "A person counted in this paragraph withdrew their testimony: its "
                        "figures may now be one too high. Check them against the consultation."
                    )
                )
            report_services.correct_paragraph(paragraph.pk, fix, notice=notice)
        source.delete()


def on_redacted(sender: Any, testimony: Testimony, **kwargs: Any) -> None:
    """Quotes of the testimony follow its new redacted text (history included); if it may no
    longer be quoted, the quote goes as on withdrawal."""
    consultation = testimony.consultation
    still_quotable = selectors.quotable(consultation).filter(pk=testimony.pk).exists()
    for source in _sources_of(testimony):
        if not source.quote:
            continue
        paragraph, language = _paragraph_language(source.paragraph_id)
        with translation.override(language):
            if still_quotable and testimony.text.strip():
                new = quote_of(testimony)
                notice = _(
                    "A moderator removed more personal details from a testimony quoted here: "
                    "UPR Hub updated the quote in this paragraph and in its history."
                )
            else:
                new = _("[quote withdrawn]")
                notice = _(
                    "A testimony quoted here may no longer be quoted: UPR Hub removed the quote "
                    "from this paragraph and from its history. Remove or rewrite what is left."
                )
            if new == source.quote:
                continue
            if still_quotable and testimony.text.strip():
                fix = _replacing([(source.quote, new)])
            else:
                fix = _withdrawing(source.quote, new)
            report_services.correct_paragraph(paragraph.pk, fix, notice=notice)
        if still_quotable and testimony.text.strip():
            ParagraphSource.objects.filter(pk=source.pk).update(quote=new)
        else:
            source.delete()  # nothing of it is left in the paragraph
