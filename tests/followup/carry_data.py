"""Real US recommendations for the clusters and carry-forward tests, read from the bundled
files (3rd cycle: OHCHR's CSV by paragraph; 1st cycle: UPR Info's CSV by text)."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from functools import cache

from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
    VocabularyFactory,
)
from uprhub.followup.models import AssessmentRound, Grade, Position, PositionStatus, Scale
from uprhub.recommendations.importers.bundled import bundled_path
from uprhub.recommendations.models import Recommendation


@cache
def third_cycle() -> dict[str, str]:
    """Paragraph → text of the 347 US 3rd-cycle recommendations."""
    path = bundled_path("ohchr/usa-cycle3-recommendations.csv")
    with path.open(encoding="utf-8") as handle:
        return {row["paragraph"]: row["text"] for row in csv.DictReader(handle)}


@cache
def first_cycle() -> list[str]:
    """Texts of the US 1st-cycle recommendations (UPR Info, session 9)."""
    path = bundled_path("uprinfo/recommendations-sessions-01-17.csv")
    with path.open(encoding="utf-8") as handle:
        return [
            row["Text"]
            for row in csv.DictReader(handle)
            if row["To"].startswith("United States") and row["Session"] == "9"
        ]


def first_cycle_text(starts: str) -> str:
    (found,) = [t for t in first_cycle() if t.startswith(starts)]
    return found


def usa_cycles():
    """The United States with a 1st-cycle review (session 9) and a 3rd (session 36)."""
    state = StateFactory(code="USA", iso3="USA", short_name="United States")
    first = ReviewFactory(
        state=state, session=SessionFactory(number=9, cycle=CycleFactory(number=1))
    )
    third = ReviewFactory(
        state=state, session=SessionFactory(number=36, cycle=CycleFactory(number=3))
    )
    return state, first, third


def add(review, text: str, paragraph: str = "", theme=None):
    return RecommendationFactory(
        review=review, paragraph=paragraph, text=text, themes=[theme] if theme else []
    )


def add_all_third(review) -> None:
    """All 347 real 3rd-cycle recommendations (IDF, and so the clusters, depend on them all)."""
    rows = [
        Recommendation(
            review=review,
            paragraph=paragraph,
            paragraph_sort=Recommendation.paragraph_key(paragraph),
            text=text,
            text_key=hashlib.sha1(f"{paragraph} {text}".encode()).hexdigest(),  # noqa: S324
            position="supported",
        )
        for paragraph, text in third_cycle().items()
    ]
    Recommendation.objects.bulk_create(rows)


def theme(name: str, vocabulary: str = "uprinfo-issues"):
    """A theme of UPR Info's issues (1st cycle) or OHCHR's themes (``vocabulary="ohchr"``)."""
    if vocabulary == "uprinfo-issues":
        return ThemeFactory(name=name)
    return ThemeFactory(
        name=name, vocabulary=VocabularyFactory(slug=vocabulary, name="OHCHR themes")
    )


def position(recommendation, code: str, *, published: bool, slug: str = "mid-term"):
    """A coalition position on the HRC scale (published or a draft)."""
    scale = Scale.objects.get(slug="hrc-follow-up")
    round_, _created = AssessmentRound.objects.get_or_create(
        slug=slug,
        defaults={
            "review": recommendation.review,
            "name": "Mid-term 2012",
            "scale": scale,
            "as_of": date(2012, 6, 1),
        },
    )
    return Position.objects.create(
        round=round_,
        recommendation=recommendation,
        grade=Grade.objects.get(scale=scale, code=code),
        as_of=date(2012, 6, 1),
        status=PositionStatus.PUBLISHED if published else PositionStatus.DRAFT,
    )
