"""Follow-up × roles: the site roles, plus the round's assessor (for organisation X), an assessor
of the round for another organisation, the round's reviewer and a reviewer of another round;
every rule of `uprhub/followup/policy.py`, through `has_perm` and by calling the services, in
the states that matter (round open or closed; position draft, in review, published)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.followup.work_data import AS_OF, assessor, make_world, reviewer
from uprhub.core.rules import has_perm
from uprhub.followup import services
from uprhub.followup.models import Assessment, EvidenceItem, Position, PositionStatus
from uprhub.followup.policy import AssessTarget
from uprhub.followup.services import FollowupError

from .grid import ALLOW, DENY, ROLES, STATE, actor, check_cell

pytestmark = pytest.mark.django_db

ROUND_ROLES = ["assessor", "assessor_elsewhere", "reviewer", "reviewer_other_round"]
ALL_ROLES = [*ROLES, *ROUND_ROLES]
TAKING_PART = {"assessor", "assessor_elsewhere", "reviewer"}


def _who(role, world):
    if role == "assessor":
        return assessor(world)
    if role == "assessor_elsewhere":
        return assessor(world, world.other_org)
    if role == "reviewer":
        return reviewer(world)
    if role == "reviewer_other_round":
        return reviewer(make_world(slug="elsewhere", recommendations=1))
    return actor(role)


def _expect(role, allowed, *, state=False):
    if role in allowed:
        return STATE if state else ALLOW
    return DENY


def _close(world):
    world.round.closed = True
    world.round.save()


def _position(world, status=PositionStatus.DRAFT):
    boss = reviewer(world) if not hasattr(world, "boss") else world.boss
    world.boss = boss
    position = services.save_position(
        boss,
        world.round,
        world.recs[0],
        grade=world.grade("C"),
        rationale="r",
        as_of=AS_OF,
        version=None,
    )
    if status != PositionStatus.DRAFT:
        position = services.submit_for_review(boss, position, version=position.version)
    if status == PositionStatus.PUBLISHED:
        position = services.publish(boss, position, version=position.version)
    return Position.objects.select_related("round", "recommendation").get(pk=position.pk)


def _position_snapshot():
    return list(Position.objects.values_list("pk", "version", "status", "rationale"))


@pytest.fixture
def world():
    return make_world(recommendations=2)


# --- manage_round and view_work (reads) -----------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_manage_round(role, world):
    who = _who(role, world)
    allowed = {"system", "coordinator", "admin"}
    assert has_perm(who, "followup.manage_round", world.round) is (role in allowed)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_view_work(role, world, client):
    who = _who(role, world)
    allowed = {"system", "coordinator", "admin", *TAKING_PART}
    assert has_perm(who, "followup.view_work", world.round) is (role in allowed)
    if role in {"system", "anonymous"}:
        return
    client.force_login(who)
    for url in (
        reverse("followup:work", args=[world.round.slug]),
        reverse("followup:recommendation", args=[world.round.slug, world.recs[0].pk]),
    ):
        assert client.get(url).status_code == (200 if role in allowed else 403), url


# --- assess ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_assess(role, closed, world):
    who = _who(role, world)
    if closed:
        _close(world)
    check_cell(
        who=who,
        perm="followup.assess",
        obj=AssessTarget(world.round, world.org),
        expected=_expect(role, {"assessor"}, state=closed),
        call=lambda: services.save_assessment(
            who,
            world.round,
            world.recs[0],
            world.org,
            grade=world.grade("B"),
            rationale="",
            as_of=AS_OF,
        ),
        snapshot=lambda: list(Assessment.objects.values_list("pk", "version")),
        state_error=FollowupError,
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_assess_evidence(role, world):
    owner = services.save_assessment(
        assessor(world),
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("B"),
        rationale="",
        as_of=AS_OF,
    )
    who = _who(role, world)
    check_cell(
        who=who,
        perm="followup.assess",
        obj=AssessTarget(world.round, world.org),
        expected=_expect(role, {"assessor"}),
        call=lambda: services.add_evidence(who, owner, kind="law", title="Act 1"),
        snapshot=lambda: EvidenceItem.objects.count(),
    )


# --- draft_position -------------------------------------------------------------------------------


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_draft_new_position(role, closed, world):
    who = _who(role, world)
    if closed:
        _close(world)
    check_cell(
        who=who,
        perm="followup.draft_position",
        obj=world.round,
        expected=_expect(role, TAKING_PART, state=closed),
        call=lambda: services.save_position(
            who,
            world.round,
            world.recs[1],
            grade=world.grade("B"),
            rationale="new",
            as_of=AS_OF,
            version=None,
        ),
        snapshot=_position_snapshot,
        state_error=FollowupError,
    )


@pytest.mark.parametrize(
    "state", ["draft", "published", "closed"], ids=["draft", "published", "round-closed"]
)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_draft_position_save(role, state, world):
    position = _position(world, PositionStatus.PUBLISHED if state == "published" else "draft")
    if state == "closed":
        _close(world)
        position.round.refresh_from_db()
    who = _who(role, world)
    check_cell(
        who=who,
        perm="followup.draft_position",
        obj=position,
        expected=_expect(role, TAKING_PART, state=state != "draft"),
        call=lambda: services.save_position(
            who,
            world.round,
            world.recs[0],
            grade=world.grade("A"),
            rationale="changed",
            as_of=AS_OF,
            version=position.version,
        ),
        snapshot=_position_snapshot,
        state_error=FollowupError,
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_draft_position_submit_for_review(role, world):
    position = _position(world)
    who = _who(role, world)
    check_cell(
        who=who,
        perm="followup.draft_position",
        obj=position,
        expected=_expect(role, TAKING_PART),
        call=lambda: services.submit_for_review(who, position, version=position.version),
        snapshot=_position_snapshot,
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_draft_position_in_review_is_the_reviewers(role, world):
    """In review, `draft_position` no longer applies (a state refusal for those taking part);
    the save goes through `review`."""
    position = _position(world, PositionStatus.IN_REVIEW)
    who = _who(role, world)
    assert has_perm(who, "followup.draft_position", position) is False
    check_cell(
        who=who,
        perm="followup.review",
        obj=position,
        expected=_expect(role, {"reviewer"}),
        call=lambda: services.save_position(
            who,
            world.round,
            world.recs[0],
            grade=world.grade("A"),
            rationale="checked",
            as_of=AS_OF,
            version=position.version,
        ),
        snapshot=_position_snapshot,
    )


# --- review ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_review_publish(role, closed, world):
    position = _position(world, PositionStatus.IN_REVIEW)
    if closed:
        _close(world)
        position.round.refresh_from_db()
    who = _who(role, world)
    check_cell(
        who=who,
        perm="followup.review",
        obj=position,
        expected=_expect(role, {"reviewer"}, state=closed),
        call=lambda: services.publish(who, position, version=position.version),
        snapshot=_position_snapshot,
        state_error=FollowupError,
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_review_send_back_published(role, world):
    position = _position(world, PositionStatus.PUBLISHED)
    who = _who(role, world)
    check_cell(
        who=who,
        perm="followup.review",
        obj=position,
        expected=_expect(role, {"reviewer"}),
        call=lambda: services.send_back(who, position, version=position.version, note="why"),
        snapshot=_position_snapshot,
    )


# --- decide_evidence (its service is the evidence finder's: has_perm here) -----------------------


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_decide_evidence(role, closed, world):
    who = _who(role, world)
    if closed:
        _close(world)
    assert has_perm(who, "followup.decide_evidence", world.round) is (
        role in TAKING_PART and not closed
    )


# --- the API: the same rules (401 signed out, 403 without a part, 404 unknown) -------------------


@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != "system"])
def test_api_by_role(role, world, client):
    position = _position(world, PositionStatus.IN_REVIEW)
    who = _who(role, world)
    if role != "anonymous":
        client.force_login(who)
    base = f"/api/followup/rounds/{world.round.slug}"
    reads = (
        client.get(f"{base}/progress").status_code,
        client.get(f"{base}/positions/{world.recs[0].pk}").status_code,
    )
    viewer = role in {"coordinator", "admin", *TAKING_PART}
    expected = 401 if role == "anonymous" else (200 if viewer else 403)
    assert reads == (expected, expected)
    publish = client.post(
        f"{base}/positions/{world.recs[0].pk}/transitions",
        {"action": "publish", "version": position.version},
        content_type="application/json",
    ).status_code
    assert publish == (200 if role == "reviewer" else expected if not viewer else 403)
    if viewer:
        assert client.get(f"{base}/positions/999999").status_code == 404
