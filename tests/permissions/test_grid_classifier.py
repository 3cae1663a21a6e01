"""Machine suggestions × roles × state (pending, accepted, rejected): accept and reject."""

from __future__ import annotations

import pytest

from tests.factories import RecommendationFactory, ThemeFactory
from uprhub.classifier import services
from uprhub.recommendations.models import Label, Suggestion, SuggestionKind, SuggestionStatus

from .grid import ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db

MEMBERS = {"member", "coordinator", "admin"}
STATES = [SuggestionStatus.PENDING, SuggestionStatus.ACCEPTED, SuggestionStatus.REJECTED]


def _suggestion(status: str) -> Suggestion:
    return Suggestion.objects.create(
        recommendation=RecommendationFactory(action_category=None),
        kind=SuggestionKind.ISSUE,
        theme=ThemeFactory(name="Death penalty"),
        score=0.9,
        model_version="grid",
        status=status,
    )


def _decisions():
    return (
        list(Suggestion.objects.values_list("status", "decided_by")),
        Label.objects.count(),
    )


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("decide", ["accept", "reject"])
@pytest.mark.parametrize("role", ROLES)
def test_decide_a_suggestion(role, decide, status):
    suggestion = _suggestion(status)
    who = actor(role)
    check_cell(
        who=who,
        perm="classifier.review_suggestion",
        obj=suggestion,
        # A decision is final; the command line never decides for people.
        expected=row(MEMBERS, refused_for_state=status != SuggestionStatus.PENDING)[role],
        call=lambda: getattr(services, decide)(suggestion, actor=who),
        snapshot=_decisions,
        state_error=services.SuggestionError,
    )
