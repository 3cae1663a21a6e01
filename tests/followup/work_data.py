"""Test data for assessing and reviewing: a round over one review, its recommendations, two
organisations, and people in every role of the round."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import RecommendationFactory, ReviewFactory, StateFactory, ThemeFactory
from uprhub.followup.models import (
    AssessmentRound,
    Cluster,
    Grade,
    RoundRole,
    RoundRoleKind,
    Scale,
)

AS_OF = datetime.date(2025, 6, 30)
_states = itertools.count(1)


@dataclass
class World:
    round: AssessmentRound
    recs: list[Any]
    org: Any
    other_org: Any
    grades: dict[str, Grade]
    people: dict[str, Any] = field(default_factory=dict)

    def grade(self, code: str) -> Grade:
        return self.grades[code]


def make_world(
    *, slug: str = "midterm", recommendations: int = 3, themes: bool = True, session: int = 36
) -> World:
    # A State of its own: the shared factory's 3-letter codes repeat after 100 States.
    review = ReviewFactory(state=StateFactory(code=f"FUW{next(_states)}", iso3=""))
    scale = Scale.objects.get(slug="hrc-follow-up")
    round_ = AssessmentRound.objects.create(
        review=review, name=f"Round {slug}", slug=slug, scale=scale, as_of=AS_OF
    )
    theme_names = ["Death penalty", "Indigenous peoples"]
    recs = []
    for n in range(recommendations):
        theme = (
            [ThemeFactory(name=theme_names[n % 2])] if themes and n < recommendations - 1 else []
        )
        recs.append(
            RecommendationFactory(
                review=review,
                paragraph=f"26.{n + 1}",
                text=f"Abolish measure {n + 1} and protect rights ({slug})",
                position="supported" if n % 3 else "noted",
                themes=theme,
            )
        )
    grades = {g.code: g for g in Grade.objects.filter(scale=scale)}
    return World(round_, recs, OrganisationFactory(), OrganisationFactory(), grades)


def foreign_recommendation(paragraph: str = "99.1") -> Any:
    """A recommendation of another review than any round's."""
    review = ReviewFactory(state=StateFactory(code=f"FUW{next(_states)}", iso3=""))
    return RecommendationFactory(review=review, paragraph=paragraph)


def give_role(world: World, user: Any, role: str, organisation: Any = None) -> Any:
    RoundRole.objects.create(
        round=world.round,
        user=user,
        role=role,
        organisation=organisation if role == RoundRoleKind.ASSESSOR else None,
    )
    return user


def assessor(world: World, organisation: Any = None) -> Any:
    return give_role(world, make_user("member"), RoundRoleKind.ASSESSOR, organisation or world.org)


def reviewer(world: World) -> Any:
    return give_role(world, make_user("member"), RoundRoleKind.REVIEWER)


def cluster_of(
    world: World, recs: list[Any] | None = None, label: str = "Death penalty"
) -> Cluster:
    cluster = Cluster.objects.create(review=world.round.review, label=label)
    cluster.recommendations.set(recs if recs is not None else world.recs)
    return cluster
