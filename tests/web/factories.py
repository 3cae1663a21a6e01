"""A small, realistic data set for the web tests, built with the shared factories."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
    VocabularyFactory,
)
from uprhub.recommendations.models import Position, Recommendation, Theme
from uprhub.reviews.models import Review, State


@dataclass
class WebData:
    usa: State
    france: State
    brazil: State
    kenya: State
    review_2015: Review
    review_2020: Review
    review_2025: Review
    torture: Theme
    women: Theme
    detention: Theme
    recommendations: list[Recommendation] = field(default_factory=list)


def make_web_data(extra: int = 0) -> WebData:
    """The United States reviewed three times, recommendations from three regions, two
    vocabularies; ``extra`` adds that many filler recommendations (for pagination)."""
    usa = StateFactory(
        code="USA",
        iso3="USA",
        short_name="United States",
        un_name="United States of America",
        regional_group="WEOG",
    )
    france = StateFactory(code="FRA", short_name="France", un_name="France", regional_group="WEOG")
    brazil = StateFactory(
        code="BRA", short_name="Brazil", un_name="Brazil", regional_group="GRULAC"
    )
    kenya = StateFactory(code="KEN", short_name="Kenya", un_name="Kenya", regional_group="Africa")

    session_22 = SessionFactory(number=22, cycle=CycleFactory(number=2))
    session_36 = SessionFactory(number=36, cycle=CycleFactory(number=3))
    session_50 = SessionFactory(number=50, cycle=CycleFactory(number=4))
    review_2015 = ReviewFactory(
        state=usa, session=session_22, review_date=date(2015, 5, 11), wg_report_symbol="A/HRC/30/12"
    )
    review_2020 = ReviewFactory(
        state=usa,
        session=session_36,
        review_date=date(2020, 11, 9),
        wg_report_symbol="A/HRC/46/15",
        responses_symbol="A/HRC/46/15/Add.1",
    )
    review_2025 = ReviewFactory(
        state=usa,
        session=session_50,
        note="The United States did not take part; review rescheduled",
    )
    issues = VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")
    ohchr = VocabularyFactory(slug="ohchr-3", name="OHCHR themes (3rd cycle)")
    torture = ThemeFactory(vocabulary=issues, name="Torture and other CID")
    women = ThemeFactory(vocabulary=issues, name="Women's rights")
    detention = ThemeFactory(vocabulary=ohchr, name="Conditions of detention")

    data = WebData(
        usa, france, brazil, kenya, review_2015, review_2020, review_2025, torture, women, detention
    )
    specs = [
        # review, paragraph, text, position, category, recommenders, themes
        (
            review_2015,
            "176.1",
            "Ratify the Convention against Torture optional protocol",
            Position.NOTED,
            5,
            [france],
            [torture],
        ),
        (
            review_2015,
            "176.2",
            "Abolish the death penalty at the federal level",
            Position.NOTED,
            5,
            [france, brazil],
            [],
        ),
        (
            review_2020,
            "26.1",
            "Ratify the Convention against Torture optional protocol",
            Position.NOTED,
            5,
            [kenya],
            [torture, detention],
        ),
        (
            review_2020,
            "26.2",
            "Continue efforts to end torture in places of detention",
            Position.SUPPORTED,
            2,
            [brazil],
            [torture, detention],
        ),
        (
            review_2020,
            "26.3",
            "Take measures to protect women's rights <script>alert(1)</script>",
            Position.SUPPORTED,
            4,
            [kenya, france],
            [women],
        ),
        (
            review_2020,
            "26.4",
            '=HYPERLINK("http://evil.example","click") consider gender equality',
            Position.SUPPORTED_IN_PART,
            3,
            [brazil],
            [women],
        ),
        (
            review_2020,
            "26.5",
            "+Consider a moratorium on executions",
            Position.NOTED,
            3,
            [france],
            [],
        ),
    ]
    for review, paragraph, text, position, category, recommenders, themes in specs:
        data.recommendations.append(
            RecommendationFactory(
                review=review,
                paragraph=paragraph,
                text=text,
                position=position,
                action_category=category,
                recommenders=recommenders,
                themes=themes,
            )
        )
    for n in range(extra):
        data.recommendations.append(
            RecommendationFactory(
                review=review_2020,
                paragraph=f"27.{n + 1}",
                text=f"Strengthen human rights education programme {n}",
                recommenders=[kenya],
            )
        )
    return data
