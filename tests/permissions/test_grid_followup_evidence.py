"""Evidence suggestions × roles: the site roles plus the round's assessor and reviewer, in an
open and a closed round, through `has_perm` and the services (tests/permissions/grid.py)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import make_user
from tests.followup.conftest import usa  # noqa: F401 - the fixture, shared with tests/followup
from tests.followup.test_evidence_decisions import World
from uprhub.followup import evidence_store
from uprhub.followup.evidence_services import (
    EvidenceDecisionError,
    accept_suggestion,
    reject_suggestion,
)
from uprhub.followup.models import (
    AssessmentRound,
    EvidenceItem,
    EvidenceSuggestion,
    RoundRole,
    RoundRoleKind,
)
from uprhub.reviews.models import Document, DocumentKind

from .grid import ALLOW, DENY, ROLES, STATE, actor, check_cell, row

ROUND_ROLES = [*ROLES, "assessor", "reviewer"]
DECIDERS = {"assessor", "reviewer"}


@pytest.fixture
def world(usa) -> World:  # noqa: F811 - the imported fixture
    return World(usa)


def _who(role: str, world: World):
    if role == "assessor":
        return world.assessor
    if role == "reviewer":
        return world.reviewer
    return actor(role)


def _expected(role: str, closed: bool) -> str:
    if role not in DECIDERS:
        return DENY
    return STATE if closed else ALLOW


def _close(world: World) -> None:
    AssessmentRound.objects.filter(pk=world.round.pk).update(closed=True)
    for obj in (world.round, world.position, world.assessment):
        obj.refresh_from_db()


def _decisions():
    return list(
        EvidenceSuggestion.objects.values_list("pk", "status")
    ), EvidenceItem.objects.count()


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("role", ROUND_ROLES)
def test_accept_into_the_position(world, role, closed):
    who = _who(role, world)
    if closed:
        _close(world)
    check_cell(
        who=who,
        perm="followup.decide_evidence",
        obj=world.round,
        expected=_expected(role, closed),
        call=lambda: accept_suggestion(who, world.suggestion, world.position),
        snapshot=_decisions,
        state_error=EvidenceDecisionError,
    )


@pytest.mark.parametrize("closed", [False, True])
@pytest.mark.parametrize("role", ROUND_ROLES)
def test_reject(world, role, closed):
    who = _who(role, world)
    if closed:
        _close(world)
    check_cell(
        who=who,
        perm="followup.decide_evidence",
        obj=world.round,
        expected=_expected(role, closed),
        call=lambda: reject_suggestion(who, world.suggestion, world.round),
        snapshot=_decisions,
        state_error=EvidenceDecisionError,
    )


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_compute_and_store(world, role):
    who = _who(role, world)
    Document.objects.filter(pk=world.document.pk).update(
        text="1. The Guantanamo Bay detention facility remained open, the Committee regretted."
    )
    assert world.document.kind == DocumentKind.COMPILATION
    staff = {"system", "coordinator", "admin"}
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=world.round,
        expected=row(staff)[role] if role in ROLES else DENY,
        call=lambda: evidence_store.compute_and_store(
            world.round.review, actor=who, use_semantic=False
        ),
        snapshot=lambda: sorted(EvidenceSuggestion.objects.values_list("paragraph", flat=True)),
    )


def test_an_assessor_of_another_round_may_not_decide(world):
    other = AssessmentRound.objects.create(
        review=world.round.review, name="Other", slug="other", scale=world.scale,
        as_of=world.round.as_of,
    )  # fmt: skip
    someone = make_user("member")
    RoundRole.objects.create(round=other, user=someone, role=RoundRoleKind.REVIEWER)
    check_cell(
        who=someone,
        perm="followup.decide_evidence",
        obj=world.round,
        expected=DENY,
        call=lambda: reject_suggestion(someone, world.suggestion, world.round),
        snapshot=_decisions,
    )
