"""Many positions at once: a reviewer publishes the chosen ones of the review queue, an assessor
sends a cluster's drafts for review. All or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from uprhub.followup import services
from uprhub.followup.models import Position, PositionStatus
from uprhub.followup.services import FollowupError

from .work_data import AS_OF, assessor, cluster_of, make_world, reviewer

pytestmark = pytest.mark.django_db


def _drafts(world, who, n):
    return [
        services.save_position(
            who, world.round, rec, grade=world.grade("C"), rationale="", as_of=AS_OF, version=None
        )
        for rec in world.recs[:n]
    ]


def test_publish_many_all_or_nothing():
    world = make_world(recommendations=4)
    drafter, boss = assessor(world), reviewer(world)
    positions = _drafts(world, drafter, 4)
    seen = {p.pk: p.version for p in positions}
    in_review = services.transition_many(drafter, world.round, "submit", seen)
    assert {p.status for p in in_review} == {PositionStatus.IN_REVIEW}
    seen = {p.pk: p.version for p in in_review}
    # One of them was changed meanwhile: nothing is published, the error names it.
    stale = in_review[2]
    services.save_position(
        boss,
        world.round,
        stale.recommendation,
        grade=world.grade("A"),
        rationale="",
        as_of=AS_OF,
        version=stale.version,
    )
    with pytest.raises(FollowupError, match=stale.recommendation.paragraph):
        services.transition_many(boss, world.round, "publish", seen)
    assert not Position.objects.filter(status=PositionStatus.PUBLISHED).exists()
    seen[stale.pk] += 1
    published = services.transition_many(boss, world.round, "publish", seen)
    assert len(published) == 4
    assert Position.objects.published().count() == 4


def test_assessors_cannot_publish_many():
    world = make_world(recommendations=2)
    drafter = assessor(world)
    positions = services.transition_many(
        drafter, world.round, "submit", {p.pk: p.version for p in _drafts(world, drafter, 2)}
    )
    with pytest.raises(PermissionDenied):
        services.transition_many(
            drafter, world.round, "publish", {p.pk: p.version for p in positions}
        )
    assert not Position.objects.published().exists()


def test_positions_of_another_round_are_refused():
    world, other = make_world(recommendations=1), make_world(slug="other", recommendations=1)
    position = _drafts(other, assessor(other), 1)[0]
    with pytest.raises(FollowupError, match="not in this round"):
        services.transition_many(reviewer(world), world.round, "submit", {position.pk: 1})


def test_review_queue_publishes_the_chosen(client):
    world = make_world(recommendations=3)
    drafter, boss = assessor(world), reviewer(world)
    positions = services.transition_many(
        drafter, world.round, "submit", {p.pk: p.version for p in _drafts(world, drafter, 3)}
    )
    client.force_login(boss)
    queue = reverse("followup:review_queue", args=[world.round.slug])
    page = client.get(queue).content.decode()
    assert 'name="action" value="publish"' in page
    chosen = positions[:2]
    data = {"action": "publish", "position": [str(p.pk) for p in chosen], "next": queue}
    data |= {f"version_{p.pk}": str(p.version) for p in positions}
    response = client.post(reverse("followup:bulk_transition", args=[world.round.slug]), data)
    assert response.status_code == 302 and response["Location"] == queue
    assert set(Position.objects.published().values_list("pk", flat=True)) == {p.pk for p in chosen}
    assert "2 positions were published." in client.get(queue).content.decode()


def test_cluster_page_sends_its_drafts_for_review(client):
    world = make_world(recommendations=3)
    drafter = assessor(world)
    group = cluster_of(world, world.recs)
    _drafts(world, drafter, 3)
    client.force_login(drafter)
    url = reverse("followup:cluster", args=[world.round.slug, group.pk])
    page = client.get(url).content.decode()
    assert "Send the drafts for review" in page
    data = {"action": "submit", "next": url, "position": []}
    for p in Position.objects.filter(round=world.round):
        data["position"].append(str(p.pk))
        data[f"version_{p.pk}"] = str(p.version)
    client.post(reverse("followup:bulk_transition", args=[world.round.slug]), data)
    assert set(Position.objects.values_list("status", flat=True)) == {PositionStatus.IN_REVIEW}
    # A stranger to the round cannot.
    client.force_login(reviewer(make_world(slug="elsewhere", recommendations=1)))
    response = client.post(reverse("followup:bulk_transition", args=[world.round.slug]), data)
    assert response.status_code == 403
