"""A small, fixed corpus for search tests: every expected id and count is written in the tests.

Built on the shared factories. Recommendations are identified by their paragraph (ids differ
between databases and runs; paragraphs do not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
    VocabularyFactory,
)
from uprhub.recommendations.models import Position, Recommendation


@dataclass
class Corpus:
    by_paragraph: dict[str, Recommendation]
    themes: dict[str, int]

    def paragraphs(self, ids) -> list[str]:
        by_id = {r.pk: p for p, r in self.by_paragraph.items()}
        return [by_id[i] for i in ids]


# paragraph, review key, position, action category, recommenders, themes, text
ROWS = [
    (
        "1.1",
        "AAA9",
        Position.SUPPORTED,
        5,
        ["BBB"],
        ["Death penalty"],
        "Abolish the death penalty for all crimes.",
    ),
    (
        "1.2",
        "AAA22",
        Position.NOTED,
        4,
        ["CCC", "DDD"],
        ["Death penalty"],
        "Establish a moratorium on the death penalty with a view to abolishing it.",
    ),
    (
        "2.1",
        "BBB9",
        Position.SUPPORTED,
        3,
        ["AAA"],
        ["Women's rights", "SDG 5"],
        "Ensure gender equality and protect women's rights in law and in practice.",
    ),
    (
        "3.1",
        "CCC22",
        Position.SUPPORTED_IN_PART,
        5,
        ["AAA", "BBB"],
        ["Women's rights"],
        "Protect the rights of women and girls against all forms of violence.",
    ),
    (
        "2.2",
        "BBB9",
        Position.NOTED,
        5,
        ["DDD"],
        [],
        "Ratify the Convention against Torture <script>alert(1)</script> & its Optional Protocol.",
    ),
    (
        "2.10",
        "BBB9",
        Position.SUPPORTED,
        2,
        ["CCC"],
        [],
        "Prevent torture: investigate every allegation of torture and punish torture.",
    ),
    (
        "1.3",
        "AAA22",
        Position.SUPPORTED,
        1,
        ["BBB", "CCC"],
        ["SDG 5"],
        "Continue cooperation with Côte d'Ivoire and other States on education for girls.",
    ),
    (
        "3.2",
        "CCC22",
        Position.NOTED,
        None,
        ["DDD"],
        [],
        "Consider penalties for officials who do not respect the rights of detainees.",
    ),
]

STATES = {
    "AAA": ("Aaland", "WEOG"),
    "BBB": ("Bebeland", "Africa"),
    "CCC": ("Ceeland", "GRULAC"),
    "DDD": ("Deeland", "Asia-Pacific"),
}


def make_corpus() -> Corpus:
    states = {
        code: StateFactory(code=code, iso3=code, short_name=name, regional_group=region)
        for code, (name, region) in STATES.items()
    }
    s9 = SessionFactory(number=9, cycle=CycleFactory(number=1), start_date=dt.date(2010, 11, 1))
    s22 = SessionFactory(number=22, cycle=CycleFactory(number=2), start_date=dt.date(2015, 5, 4))
    reviews = {
        "AAA9": ReviewFactory(state=states["AAA"], session=s9, review_date=dt.date(2010, 11, 5)),
        "AAA22": ReviewFactory(state=states["AAA"], session=s22, review_date=dt.date(2015, 5, 11)),
        "BBB9": ReviewFactory(state=states["BBB"], session=s9, review_date=dt.date(2010, 11, 8)),
        "CCC22": ReviewFactory(state=states["CCC"], session=s22, review_date=None),
    }
    issues = VocabularyFactory(slug="uprinfo-issues", name="UPR Info issues")
    sdgs = VocabularyFactory(slug="sdgs", name="Sustainable Development Goals", kind="sdg")
    themes = {
        "Death penalty": ThemeFactory(vocabulary=issues, name="Death penalty"),
        "Women's rights": ThemeFactory(vocabulary=issues, name="Women's rights"),
        "SDG 5": ThemeFactory(vocabulary=sdgs, name="SDG 5"),
    }
    by_paragraph = {}
    for paragraph, review, position, action, recommenders, theme_names, text in ROWS:
        by_paragraph[paragraph] = RecommendationFactory(
            review=reviews[review],
            paragraph=paragraph,
            position=position,
            action_category=action,
            text=text,
            recommenders=[states[c] for c in recommenders],
            themes=[themes[t] for t in theme_names],
        )
    return Corpus(by_paragraph, {name: t.pk for name, t in themes.items()})
