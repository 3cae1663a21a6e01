"""Shared set-up of the rounds' tests (`test_rounds_*.py`): a US review with a few
recommendations, a round on it, members with organisations."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
)
from uprhub.accounts.models import Membership
from uprhub.followup import rounds
from uprhub.followup.models import AssessmentRound, Scale

HRC = "hrc-follow-up"
UPR_INFO = "upr-info"


def usa_review(recommendations: int = 3) -> Any:
    state = StateFactory(code="USA", iso3="USA", short_name="United States")
    session = SessionFactory(number=36, cycle=CycleFactory(number=3), start_date=date(2020, 11, 2))
    review = ReviewFactory(state=state, session=session)
    for number in range(recommendations):
        RecommendationFactory(review=review, paragraph=f"26.{number + 1}")
    return review


def scale(slug: str = HRC) -> Scale:
    return Scale.objects.get(slug=slug)


def make_round(
    review: Any = None, *, name: str = "Mid-term 2022", **kwargs: Any
) -> AssessmentRound:
    return rounds.create_round(
        None,
        review=review or usa_review(),
        name=name,
        scale=kwargs.pop("scale", None) or scale(),
        as_of=kwargs.pop("as_of", date(2022, 6, 1)),
        **kwargs,
    )


def member_of(role: str = "member", organisation: Any = None, **kwargs: Any) -> tuple[Any, Any]:
    """An account in `role`, member of an organisation (a new one unless given)."""
    user = make_user(role, **kwargs)
    organisation = organisation or OrganisationFactory()
    Membership.objects.create(user=user, organisation=organisation)
    return user, organisation
