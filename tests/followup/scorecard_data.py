"""A small hand-made scorecard (exact figures known) for the scorecard tests.

USA, cycle 3, six recommendations; round "midterm-2022" (Human Rights Committee's A–E scale):

====== ============= ============== ================ ===================================
para.  response      recommended by theme            coalition's position
====== ============= ============== ================ ===================================
26.1   supported     FRA            Death penalty    C published (was A in early-2021)
26.2   supported     FRA, BRA       Women's rights   A published (A in early-2021)
26.3   in part       KEN            (SDG theme only) E published
26.4   noted         BRA            –                B published
26.5   supported     KEN            Death penalty    D DRAFT (never shown: not assessed)
26.6   supported     –              –                none
====== ============= ============== ================ ===================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.accounts.factories import OrganisationFactory
from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
    VocabularyFactory,
)
from uprhub.followup import scorecard_cache
from uprhub.followup.models import (
    Assessment,
    AssessmentRound,
    EvidenceItem,
    EvidenceKind,
    Grade,
    Position,
    PositionStatus,
    Scale,
    StateClaim,
)
from uprhub.recommendations.models import Position as Response

DRAFT_RATIONALE = "SECRET DRAFT RATIONALE"
DRAFT_QUOTE = "SECRET DRAFT QUOTE"


@dataclass
class Card:
    review: object
    round: AssessmentRound
    earlier: AssessmentRound
    recs: dict


def grade(code: str, scale: str = "hrc-follow-up") -> Grade:
    return Grade.objects.get(scale__slug=scale, code=code)


def position(round_, rec, code, status=PositionStatus.PUBLISHED, **extra) -> Position:
    return Position.objects.create(
        round=round_,
        recommendation=rec,
        grade=grade(code, round_.scale.slug),
        as_of=round_.as_of,
        status=status,
        **extra,
    )


def make_card() -> Card:
    usa = StateFactory(code="USA", iso3="USA", short_name="United States")
    fra = StateFactory(code="FRA", iso3="FRA", short_name="France", regional_group="WEOG")
    bra = StateFactory(code="BRA", iso3="BRA", short_name="Brazil", regional_group="GRULAC")
    ken = StateFactory(code="KEN", iso3="KEN", short_name="Kenya", regional_group="Africa")
    review = ReviewFactory(
        state=usa, session=SessionFactory(number=36, cycle=CycleFactory(number=3))
    )
    death = ThemeFactory(name="Death penalty")
    women = ThemeFactory(name="Women's rights")
    sdg = ThemeFactory(name="SDG 16", vocabulary=VocabularyFactory(slug="sdg", name="SDGs"))

    def rec(paragraph, response, recommenders, themes, text=None):
        return RecommendationFactory(
            review=review,
            paragraph=paragraph,
            position=response,
            recommenders=recommenders,
            themes=themes,
            **({"text": text} if text else {}),
        )

    recs = {
        "26.1": rec("26.1", Response.SUPPORTED, [fra], [death], "Abolish the death penalty"),
        "26.2": rec("26.2", Response.SUPPORTED, [fra, bra], [women]),
        "26.3": rec("26.3", Response.SUPPORTED_IN_PART, [ken], [sdg]),
        "26.4": rec("26.4", Response.NOTED, [bra], []),
        "26.5": rec("26.5", Response.SUPPORTED, [ken], [death]),
        "26.6": rec("26.6", Response.SUPPORTED, [], []),
    }
    scale = Scale.objects.get(slug="hrc-follow-up")
    round_ = AssessmentRound.objects.create(
        review=review,
        name="Mid-term 2022",
        slug="midterm-2022",
        scale=scale,
        as_of=date(2022, 6, 1),
    )
    earlier = AssessmentRound.objects.create(
        review=review, name="Early 2021", slug="early-2021", scale=scale, as_of=date(2021, 1, 1)
    )
    first = position(round_, recs["26.1"], "C", rationale="Executions continued in 2021.")
    EvidenceItem.objects.create(
        position=first,
        kind=EvidenceKind.UN_DOCUMENT,
        document_symbol="A/HRC/WG.6/50/USA/2",
        paragraph=26,
        quote="Federal executions resumed.",
    )
    position(round_, recs["26.2"], "A")
    position(round_, recs["26.3"], "E")
    position(round_, recs["26.4"], "B")
    draft = position(
        round_, recs["26.5"], "D", status=PositionStatus.DRAFT, rationale=DRAFT_RATIONALE
    )
    EvidenceItem.objects.create(position=draft, kind=EvidenceKind.OTHER, quote=DRAFT_QUOTE)
    position(earlier, recs["26.1"], "A")
    position(earlier, recs["26.2"], "A")
    position(earlier, recs["26.3"], "C", status=PositionStatus.IN_REVIEW)
    one = OrganisationFactory(name="Org One")
    two = OrganisationFactory(name="Org Two")
    for org, rec_key, code in ((one, "26.1", "C"), (two, "26.1", "A"), (one, "26.2", "A")):
        Assessment.objects.create(
            round=round_,
            recommendation=recs[rec_key],
            organisation=org,
            grade=grade(code),
            as_of=round_.as_of,
            rationale=f"{org.name} on {rec_key}",
        )
    # An assessment of the draft's recommendation: never shown while the position is a draft.
    Assessment.objects.create(
        round=round_,
        recommendation=recs["26.5"],
        organisation=two,
        grade=grade("A"),
        as_of=round_.as_of,
        rationale="Org Two on the draft one",
    )
    StateClaim.objects.create(
        recommendation=recs["26.1"],
        document_symbol="A/HRC/WG.6/50/USA/1",
        paragraph="12",
        claim="implemented",
        quote="The State says it is done.",
    )
    return Card(review=review, round=round_, earlier=earlier, recs=recs)


@pytest.fixture
def forget_scorecards():
    """No scorecard kept by an earlier test (they live in the process's memory)."""
    scorecard_cache.forget_kept()
    yield
    scorecard_cache.forget_kept()
