"""Past recommendations cited the customary way.

    recommendations 26.178–26.181 (Switzerland, Morocco …), supported

Cited recommendations are grouped by review, then by the State's position (supported, in part,
noted, pending, other); inside a group their paragraph numbers are sorted and runs of three or
more consecutive numbers are compressed into a range with an en dash ("26.178–26.181"; a pair
stays "26.178 and 26.179", which reads better); the recommending States follow in parentheses,
the first few and then "…".

The functions take recommendations loaded with ``Recommendation.objects.with_details()`` (or
at least ``review__session`` and ``recommending_states`` prefetched) and run no query.
Strings come out in the active language, so wrap calls in ``translation.override`` to write in
the report's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import npgettext

from uprhub.recommendations.models import Position, Recommendation
from uprhub.reviews.models import Review

#: Recommending States named before "…".
MAX_STATES = 3
#: Shortest run of consecutive numbers written as a range.
MIN_RANGE = 3

POSITION_ORDER = {
    Position.SUPPORTED: 0,
    Position.SUPPORTED_IN_PART: 1,
    Position.NOTED: 2,
    Position.PENDING: 3,
    Position.OTHER: 4,
}


def position_label(position: str, as_published: str = "") -> str:
    """The position as it reads inside a sentence ("supported in part")."""
    labels = {
        Position.SUPPORTED: _("supported"),
        Position.SUPPORTED_IN_PART: _("supported in part"),
        Position.NOTED: _("noted"),
        Position.PENDING: _("no response yet"),
    }
    if position in labels:
        return labels[position]
    return as_published.strip().lower() or _("other response")


def _split(paragraph: str) -> tuple[str, int] | None:
    major, sep, minor = paragraph.strip().partition(".")
    if sep and major.isdigit() and minor.isdigit():
        return major, int(minor)
    return None


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def compress_paragraphs(paragraphs: Iterable[str]) -> str:
    """ "26.178, 26.179, 26.180, 26.181, 26.5" → "26.5 and 26.178–26.181" (sorted, no repeats).

    Only numbers with the same part before the dot can form a range; numbers that are not of
    the form N.M are kept as they are, after the others.
    """
    numbered: list[tuple[str, int]] = []
    other: list[str] = []
    for paragraph in dict.fromkeys(p.strip() for p in paragraphs if p and p.strip()):
        parts = _split(paragraph)
        if parts is None:
            other.append(paragraph)
        else:
            numbered.append(parts)
    numbered.sort(key=lambda p: (int(p[0]), p[1]))
    items: list[str] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if len(run) >= MIN_RANGE:
            items.append(f"{run[0][0]}.{run[0][1]}–{run[-1][0]}.{run[-1][1]}")
        else:
            items.extend(f"{major}.{minor}" for major, minor in run)
        run.clear()

    for major, minor in numbered:
        if run and (run[-1][0] != major or run[-1][1] + 1 != minor):
            flush()
        run.append((major, minor))
    flush()
    return _join(items + other)


def list_states(names: Sequence[str], limit: int = MAX_STATES) -> str:
    """ "Switzerland, Morocco, Kenya …" — the first `limit` names, then an ellipsis."""
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + " …"


@dataclass
class CitationGroup:
    """Recommendations of one review with the same position."""

    review: Review
    position: str
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [r.paragraph for r in self.recommendations if r.paragraph]

    @property
    def state_names(self) -> list[str]:
        names: list[str] = []
        for recommendation in self.recommendations:
            for state in recommendation.recommending_states.all():
                if state.short_name not in names:
                    names.append(state.short_name)
        return names

    def text(self, max_states: int = MAX_STATES) -> str:
        count = len(self.recommendations)
        numbers = compress_paragraphs(self.paragraphs)
        unnumbered = [r for r in self.recommendations if not r.paragraph]
        if unnumbered:
            # The quotation marks are translatable: French reports want « … ».
            quoted = [
                # Translators: the first words of an unnumbered recommendation, cut short.
                _("“%(start)s …”") % {"start": " ".join(r.text.split()[:8])}
                for r in unnumbered
            ]
            numbers = _join([n for n in [numbers] if n] + quoted)
        # A context of its own: the model's verbose_name uses "recommendation" without plural.
        noun = npgettext("citation", "recommendation", "recommendations", count)
        states = list_states(self.state_names, max_states)
        first = self.recommendations[0]
        position = position_label(self.position, first.position_as_published)
        if states:
            return _("%(noun)s %(numbers)s (%(states)s), %(position)s") % {
                "noun": noun,
                "numbers": numbers,
                "states": states,
                "position": position,
            }
        return _("%(noun)s %(numbers)s, %(position)s") % {
            "noun": noun,
            "numbers": numbers,
            "position": position,
        }


def group_citations(recommendations: Iterable[Recommendation]) -> list[CitationGroup]:
    """Groups by review (oldest first), then position; recommendations in paragraph order."""
    groups: dict[tuple[int, str], CitationGroup] = {}
    unique = {r.pk: r for r in recommendations}.values()
    for recommendation in sorted(
        unique, key=lambda r: (r.paragraph_sort is None, r.paragraph_sort or 0, r.pk)
    ):
        key = (recommendation.review_id, recommendation.position)
        if key not in groups:
            groups[key] = CitationGroup(recommendation.review, recommendation.position)
        groups[key].recommendations.append(recommendation)
    return sorted(
        groups.values(),
        key=lambda g: (g.review.session_id, g.review.pk, POSITION_ORDER.get(g.position, 9)),
    )


def review_year(review: Review) -> int | None:
    if review.review_date:
        return review.review_date.year
    start = review.session.start_date
    return start.year if start else None


def review_source(review: Review) -> str:
    """Where the recommendations and positions of a review are published (a footnote)."""
    if review.wg_report_symbol and review.responses_symbol:
        return _(
            "Report of the Working Group on the Universal Periodic Review, %(report)s; "
            "views of the State under review, %(responses)s."
        ) % {"report": review.wg_report_symbol, "responses": review.responses_symbol}
    if review.wg_report_symbol:
        return _("Report of the Working Group on the Universal Periodic Review, %(report)s.") % {
            "report": review.wg_report_symbol
        }
    return _(
        "Report of the Working Group on the Universal Periodic Review: %(state)s, UPR %(session)s."
    ) % {"state": review.state.short_name, "session": review.session_id}


@dataclass
class CitationText:
    text: str  # without a final full stop
    sources: list[str]
    groups: list[CitationGroup]


def format_citations(
    recommendations: Iterable[Recommendation], max_states: int = MAX_STATES
) -> CitationText:
    """All cited recommendations of a section as one phrase, plus one source per review.

    When the recommendations come from more than one review, each review's part starts with
    its year and cycle: "2015 review (cycle 2): recommendation 176.1 (France), noted; …".
    """
    groups = group_citations(recommendations)
    reviews: dict[int, list[CitationGroup]] = {}
    for group in groups:
        reviews.setdefault(group.review.pk, []).append(group)
    parts: list[str] = []
    sources: list[str] = []
    for review_groups in reviews.values():
        review = review_groups[0].review
        phrase = "; ".join(g.text(max_states) for g in review_groups)
        if len(reviews) > 1:
            phrase = _("%(year)s review (cycle %(cycle)s): %(citations)s") % {
                "year": review_year(review)
                or _("UPR %(session)s") % {"session": review.session_id},
                "cycle": review.session.cycle_id,
                "citations": phrase,
            }
        parts.append(phrase)
        sources.append(review_source(review))
    return CitationText(text="; ".join(parts), sources=sources, groups=groups)


def citation_sentence(recommendations: Iterable[Recommendation]) -> CitationText | None:
    """The paragraph a section's citations become in the document, or None without any."""
    cited = format_citations(recommendations)
    if not cited.groups:
        return None
    text = cited.text[:1].upper() + cited.text[1:] + "."
    return CitationText(text=text, sources=cited.sources, groups=cited.groups)
