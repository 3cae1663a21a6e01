"""One lookup of a State's review of a cycle (command line, scorecards, rounds, claims)."""

from __future__ import annotations

import pytest

from tests.factories import ReviewFactory, SessionFactory
from tests.followup.conftest import add_recommendation
from uprhub.followup.selectors import review_of_cycle

pytestmark = pytest.mark.django_db


def test_the_session_with_recommendations_wins_then_the_latest(usa):
    state, third, fourth = usa
    later = ReviewFactory(
        state=state, session=SessionFactory(number=53, cycle=fourth.session.cycle)
    )
    # No recommendations in the cycle yet: the latest session.
    assert review_of_cycle("usa", 4) == later
    # The US did not take part at session 50, but say its recommendations were there.
    add_recommendation(fourth, "26.1", "Ratify the Convention on the Rights of the Child")
    assert review_of_cycle(" USA ", 4) == fourth
    assert review_of_cycle("USA", 3) == third
    assert review_of_cycle("USA", 9) is None
    assert review_of_cycle("XYZ", 3) is None
