"""What the synthesis page shows: counts by issue, language and risk; anonymised quotes by issue;
the linked recommendations with the State's response.

Reads testimony only through ``selectors.counted`` (counts) and ``selectors.quotable`` (quotes):
a risk-flagged or unconsented testimony is counted, never quoted, and no name is ever read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from uprhub.recommendations.models import Recommendation, SuggestionStatus

from . import selectors
from .models import Consultation, TagKind, TestimonyTag

QUOTES_PER_THEME = 5


@dataclass
class Bar:
    label: str
    count: int
    percent: float = 0.0  # of the largest bar (for the chart)
    share: float = 0.0  # of all counted testimonies


@dataclass
class Chart:
    title: str
    caption: str
    bars: list[Bar] = field(default_factory=list)

    # One 40-px row per bar: the label on its own line above the bar, so a phone shows it whole.
    ROW = 40

    @property
    def height(self) -> int:
        return self.ROW * len(self.bars) + 4

    def rows(self) -> list[tuple[Bar, int]]:
        return [(bar, self.ROW * i + 2) for i, bar in enumerate(self.bars)]


@dataclass
class ThemeQuotes:
    theme: str
    quotes: list[str]


@dataclass
class LinkedRecommendation:
    recommendation: Any
    testimonies: int


@dataclass
class Synthesis:
    total: int
    charts: list[Chart]
    quotes: list[ThemeQuotes]
    recommendations: list[LinkedRecommendation]


def _chart(title: str, caption: str, counts: Counter, total: int) -> Chart:
    top = max(counts.values(), default=0) or 1
    bars = [
        Bar(label, n, round(100 * n / top, 1), round(100 * n / total, 1) if total else 0.0)
        for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Chart(title, caption, bars)


def _language_name(code: str) -> str:
    names = dict(settings.LANGUAGES)
    return str(names.get(code, code or _("not said")))


def build(consultation: Consultation) -> Synthesis:
    counted = selectors.counted(consultation)
    counted_ids = list(counted.values_list("pk", flat=True))
    total = len(counted_ids)
    accepted = TestimonyTag.objects.filter(
        testimony_id__in=counted_ids, status=SuggestionStatus.ACCEPTED
    )
    by_theme = Counter(
        name for name in accepted.filter(kind=TagKind.THEME).values_list("theme__name", flat=True)
    )
    by_language = Counter(
        _language_name(code) for code in counted.values_list("language", flat=True)
    )
    risky = counted.filter(fears_reprisals=True).count()
    by_risk = Counter(
        {_("Fears reprisals"): risky, _("Did not say they fear reprisals"): total - risky}
    )
    by_risk = +by_risk  # drop zero rows
    charts = [
        _chart(
            _("Testimonies by UPR Info issue"),
            _("Accepted issues; a testimony can raise several."),
            by_theme,
            total,
        ),
        _chart(_("Testimonies by language"), "", by_language, total),
        _chart(
            _("Testimonies by risk"),
            _("Risk-flagged testimony is counted here and never quoted."),
            by_risk,
            total,
        ),
    ]
    # Quotes: quotable testimonies only, by their accepted issues; the redacted text alone.
    quotable = {t.pk: t.text for t in selectors.quotable(consultation).only("pk", "text")}
    by_theme_quotes: dict[str, list[str]] = {}
    for testimony_id, name in (
        TestimonyTag.objects.filter(
            testimony_id__in=list(quotable),
            kind=TagKind.THEME,
            status=SuggestionStatus.ACCEPTED,
        )
        .order_by("theme__name", "testimony_id")
        .values_list("testimony_id", "theme__name")
    ):
        quotes = by_theme_quotes.setdefault(name, [])
        if len(quotes) < QUOTES_PER_THEME:
            quotes.append(quotable[testimony_id])
    links = Counter(
        accepted.filter(kind=TagKind.RECOMMENDATION).values_list("recommendation_id", flat=True)
    )
    recs = {
        r.pk: r
        for r in Recommendation.objects.filter(pk__in=list(links))
        .select_related("review__session")
        .prefetch_related("recommending_states")
    }
    linked = [
        LinkedRecommendation(recs[pk], n)
        for pk, n in sorted(links.items(), key=lambda item: (-item[1], item[0]))
        if pk in recs
    ]
    return Synthesis(
        total=total,
        charts=charts,
        quotes=[ThemeQuotes(name, quotes) for name, quotes in sorted(by_theme_quotes.items())],
        recommendations=linked,
    )
