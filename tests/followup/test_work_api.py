"""The signed-in API of assessing and reviewing: same services, same rules (403/404/409)."""

from __future__ import annotations

import json

import pytest

from tests.accounts.factories import make_user
from uprhub.followup import services
from uprhub.followup.models import Position, PositionStatus

from .work_data import AS_OF, assessor, cluster_of, make_world, reviewer

pytestmark = pytest.mark.django_db

BASE = "/api/followup/rounds"


@pytest.fixture
def world():
    return make_world(recommendations=3)


def _put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_progress_by_role(client, world):
    url = f"{BASE}/{world.round.slug}/progress"
    assert client.get(url).status_code == 401
    client.force_login(make_user("member"))
    assert client.get(url).status_code == 403
    client.force_login(assessor(world))
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["overall"] == {"total": 3, "assessed": 0, "in_review": 0, "published": 0}
    assert {g["name"] for g in body["themes"]} == {
        "Death penalty",
        "Indigenous peoples",
        "No theme",
    }
    assert client.get(f"{BASE}/nope/progress").status_code == 404


def test_put_position_version_checked_with_409(client, world):
    rec = world.recs[0]
    url = f"{BASE}/{world.round.slug}/positions/{rec.pk}"
    client.force_login(assessor(world))
    assert client.get(url).status_code == 404
    response = _put(client, url, {"grade": "C", "rationale": "First.", "version": None})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert (
        _put(client, url, {"grade": "B", "rationale": "Second.", "version": 1}).json()["version"]
        == 2
    )
    clash = _put(client, url, {"grade": "E", "rationale": "Stale.", "version": 1})
    assert clash.status_code == 409
    assert clash.json()["current"]["rationale"] == "Second."
    assert _put(client, url, {"grade": "Z", "version": 2}).status_code == 400
    history = client.get(url).json()["history"]
    assert [h["version"] for h in history] == [2, 1]


def test_transitions_through_the_api(client, world):
    rec = world.recs[0]
    drafter, boss = assessor(world), reviewer(world)
    services.save_position(
        drafter, world.round, rec, grade=world.grade("C"), rationale="", as_of=AS_OF, version=None
    )
    url = f"{BASE}/{world.round.slug}/positions/{rec.pk}/transitions"
    client.force_login(drafter)
    assert _post(client, url, {"action": "submit", "version": 1}).status_code == 200
    assert _post(client, url, {"action": "publish", "version": 2}).status_code == 403
    client.force_login(boss)
    assert _post(client, url, {"action": "publish", "version": 1}).status_code == 409
    assert _post(client, url, {"action": "publish", "version": 2}).json()["status"] == "published"
    assert _post(client, url, {"action": "send_back", "version": 3}).status_code == 400
    assert Position.objects.get().status == PositionStatus.PUBLISHED


def test_assess_cluster_through_the_api(client, world):
    group = cluster_of(world)
    url = f"{BASE}/{world.round.slug}/clusters/{group.pk}/assess"
    client.force_login(assessor(world))
    body = {
        "target": "organisation",
        "organisation": world.org.pk,
        "grade": "D",
        "rationale": "Nothing.",
        "overrides": {str(world.recs[1].pk): {"grade": "A"}, str(world.recs[2].pk): {"skip": True}},
    }
    response = _post(client, url, body)
    assert response.status_code == 200 and response.json()["saved"] == 2
    assert _post(client, url, body).status_code == 409
    assert _post(client, url, {**body, "organisation": world.other_org.pk}).status_code == 403
    client.force_login(make_user("member"))
    assert _post(client, url, body).status_code == 403
