"""The assessors' and reviewers' pages through the HTTP client, for each role."""

from __future__ import annotations

import html as html_module
import json
import re

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.followup import services
from uprhub.followup.models import Assessment, EvidenceItem, Position, PositionStatus

from .work_data import AS_OF, assessor, cluster_of, give_role, make_world, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(recommendations=4)


def _url(world, name, *args):
    return reverse(f"followup:{name}", args=[world.round.slug, *args])


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [("registered", 403), ("member", 403), ("coordinator", 200), ("admin", 200)],
)
def test_work_list_by_site_role(client, world, role, status):
    _login(client, make_user(role))
    assert client.get(_url(world, "work")).status_code == status


def test_anonymous_goes_to_login(client, world):
    response = client.get(_url(world, "work"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_role_in_another_round_is_refused(client, world):
    other = make_world(slug="other")
    _login(client, assessor(other))
    assert client.get(_url(world, "work")).status_code == 403
    assert client.get(_url(world, "recommendation", world.recs[0].pk)).status_code == 403


def test_work_list_shows_grades_side_by_side_and_disagreement(client, world):
    first, second = assessor(world), assessor(world, world.other_org)
    rec = world.recs[0]
    kwargs = {"rationale": "", "as_of": AS_OF}
    services.save_assessment(first, world.round, rec, world.org, grade=world.grade("A"), **kwargs)
    services.save_assessment(
        second, world.round, rec, world.other_org, grade=world.grade("D"), **kwargs
    )
    response = _login(client, first).get(_url(world, "work"))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.org.name in html and world.other_org.name in html
    assert "Organisations disagree" in html
    assert "Death penalty" in html and "No theme" in html
    assert "<progress" in html
    # Filter: only published → none.
    html = client.get(_url(world, "work"), {"status": "published"}).content.decode()
    assert "No recommendation matches these filters." in html
    html = client.get(_url(world, "work"), {"response": "noted"}).content.decode()
    assert "26.1<" in html and "26.2<" not in html


def test_work_list_groups_by_cluster_and_paginates(client):
    world = make_world(slug="many", recommendations=60)
    cluster_of(world, world.recs[:3], label="Abolition")
    _login(client, reviewer(world))
    html = client.get(_url(world, "work"), {"group": "cluster"}).content.decode()
    assert "Abolition" in html and "Not in a cluster" in html
    assert "Page 1 of 2" in html
    page2 = client.get(_url(world, "work"), {"group": "cluster", "page": 2}).content.decode()
    assert "26.60" in page2 or "26.59" in page2


def test_assessor_saves_own_organisation_only(client, world):
    who = assessor(world)
    rec = world.recs[0]
    _login(client, who)
    page = client.get(_url(world, "recommendation", rec.pk))
    assert page.status_code == 200 and "Save the assessment" in page.content.decode()
    data = {
        "action": "assessment",
        "organisation": world.org.pk,
        "grade": world.grade("B").pk,
        "rationale": "Partly done.",
        "as_of": "2025-06-30",
        "version": "",
    }
    response = client.post(_url(world, "recommendation", rec.pk), data)
    assert response.status_code == 302
    assert Assessment.objects.get().rationale == "Partly done."
    # Another organisation's assessment: not a choice this person has.
    response = client.post(
        _url(world, "recommendation", rec.pk), {**data, "organisation": world.other_org.pk}
    )
    assert response.status_code == 400
    assert Assessment.objects.count() == 1


def test_reviewer_without_organisation_cannot_post_an_assessment(client, world):
    _login(client, reviewer(world))
    response = client.post(
        _url(world, "recommendation", world.recs[0].pk),
        {
            "action": "assessment",
            "organisation": world.org.pk,
            "grade": world.grade("B").pk,
            "as_of": "2025-06-30",
        },
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_position_conflict_keeps_the_text_and_shows_theirs(client, world):
    who, other = assessor(world), reviewer(world)
    rec = world.recs[0]
    services.save_position(
        other,
        world.round,
        rec,
        grade=world.grade("C"),
        rationale="First.",
        as_of=AS_OF,
        version=None,
    )
    services.save_position(
        other,
        world.round,
        rec,
        grade=world.grade("C"),
        rationale="Their newer text.",
        as_of=AS_OF,
        version=1,
    )
    response = _login(client, who).post(
        _url(world, "recommendation", rec.pk),
        {
            "action": "position",
            "grade": world.grade("A").pk,
            "rationale": "My own words.",
            "as_of": "2025-06-30",
            "version": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Their newer text." in html and "My own words." in html
    assert 'name="version" value="2"' in html
    assert Position.objects.get().rationale == "Their newer text."


def test_draft_review_publish_through_the_pages(client, world):
    drafter, boss = assessor(world), reviewer(world)
    rec = world.recs[0]
    url = _url(world, "recommendation", rec.pk)
    _login(client, drafter)
    client.post(
        url,
        {
            "action": "position",
            "grade": world.grade("D").pk,
            "rationale": "r",
            "as_of": "2025-06-30",
            "version": "",
        },
    )
    position = Position.objects.get()
    assert "Send for review" in client.get(url).content.decode()
    client.post(url, {"action": "transition", "transition": "submit", "version": 1})
    position.refresh_from_db()
    assert position.status == PositionStatus.IN_REVIEW
    html = client.get(url).content.decode()
    assert "Publish" not in html  # not a reviewer
    assert (
        client.post(
            url, {"action": "transition", "transition": "publish", "version": 2}
        ).status_code
        == 403
    )
    client.force_login(boss)
    queue = client.get(_url(world, "review_queue"))
    assert queue.status_code == 200 and rec.paragraph in queue.content.decode()
    assert (
        client.post(
            url, {"action": "transition", "transition": "publish", "version": 2}
        ).status_code
        == 302
    )
    position.refresh_from_db()
    assert position.status == PositionStatus.PUBLISHED
    # Send back without a note: refused with a message.
    response = client.post(url, {"action": "transition", "transition": "send_back", "version": 3})
    assert response.status_code == 400 and "note" in response.content.decode()
    html = client.get(url).content.decode()
    assert "History" in html and html.index(">3<") < html.index(">1<")


def test_review_queue_only_for_reviewers(client, world):
    _login(client, assessor(world))
    assert client.get(_url(world, "review_queue")).status_code == 403


def test_evidence_add_and_remove_through_the_page(client, world):
    who = assessor(world)
    rec = world.recs[0]
    assessment = services.save_assessment(
        who, world.round, rec, world.org, grade=world.grade("B"), rationale="", as_of=AS_OF
    )
    url = _url(world, "recommendation", rec.pk)
    _login(client, who)
    response = client.post(
        url,
        {
            "action": "add_evidence",
            "owner": f"assessment-{assessment.pk}",
            "kind": "un_document",
            "document_symbol": "A/HRC/WG.6/50/USA/2",
        },
    )
    assert response.status_code == 400 and "paragraph number" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "add_evidence",
            "owner": f"assessment-{assessment.pk}",
            "kind": "un_document",
            "document_symbol": "A/HRC/WG.6/50/USA/2",
            "paragraph": 26,
            "quote": "It did.",
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    # Someone of another organisation cannot remove it.
    client.force_login(assessor(world, world.other_org))
    assert client.post(url, {"action": "remove_evidence", "item": item.pk}).status_code == 403
    client.force_login(who)
    assert client.post(url, {"action": "remove_evidence", "item": item.pk}).status_code == 302
    assert not EvidenceItem.objects.exists()


def test_cluster_of_twelve_in_one_post(client, django_assert_max_num_queries):
    world = make_world(slug="twelve", recommendations=12)
    group = cluster_of(world)
    who = give_role(world, make_user("member"), "reviewer")
    _login(client, who)
    url = _url(world, "cluster", group.pk)
    page = client.get(url)
    assert page.status_code == 200 and "Same as above" in page.content.decode()
    data = {
        "target": "position",
        "grade": world.grade("D").pk,
        "rationale": "Not abolished.",
        "as_of": "2025-06-30",
    }
    data[f"grade_{world.recs[2].pk}"] = world.grade("B").pk
    data[f"skip_{world.recs[5].pk}"] = "on"
    with django_assert_max_num_queries(40):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Position.objects.count() == 11
    assert Position.objects.get(recommendation=world.recs[2]).grade.code == "B"
    # The same POST again (versions none): everyone clashes, nothing written.
    response = client.post(url, data)
    assert response.status_code == 409
    assert set(Position.objects.values_list("version", flat=True)) == {1}
    html = response.content.decode()
    assert "Someone else saved part of this cluster" in html
    # Sent again from the versions now shown (the page's hidden field): saved.
    seen = re.search(r'name="seen" value="([^"]*)"', html).group(1)
    data["seen"] = html_module.unescape(seen)
    assert json.loads(data["seen"])["position"][str(world.recs[0].pk)] == 1
    assert client.post(url, data).status_code == 302
    assert set(Position.objects.values_list("version", flat=True)) == {2}


def test_cluster_page_refuses_people_without_a_part(client, world):
    group = cluster_of(world)
    _login(client, make_user("coordinator"))  # may view, may not assess
    assert client.get(_url(world, "cluster", group.pk)).status_code == 403


def test_cluster_page_versions_follow_the_chosen_target(client, world):
    who = assessor(world)
    group = cluster_of(world, world.recs[:2])
    services.save_assessment(
        who,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("B"),
        rationale="",
        as_of=AS_OF,
    )
    services.save_position(
        who,
        world.round,
        world.recs[1],
        grade=world.grade("C"),
        rationale="",
        as_of=AS_OF,
        version=None,
    )
    url = _url(world, "cluster", group.pk)
    html = _login(client, who).get(url).content.decode()
    seen = html_module.unescape(re.search(r'name="seen" value="([^"]*)"', html).group(1))
    data = {"grade": world.grade("D").pk, "rationale": "", "as_of": "2025-06-30", "seen": seen}
    assert client.post(url, {**data, "target": "position"}).status_code == 302
    assert client.post(url, {**data, "target": f"organisation-{world.org.pk}"}).status_code == 302
    assert sorted(Position.objects.values_list("version", flat=True)) == [1, 2]
    assert sorted(Assessment.objects.values_list("version", flat=True)) == [1, 2]


@pytest.mark.parametrize("size", [4, 40])
def test_pages_query_budget(client, size, django_assert_max_num_queries):
    world = make_world(slug=f"budget{size}", recommendations=size)
    who, other = assessor(world), assessor(world, world.other_org)
    for rec in world.recs:
        for person, org in ((who, world.org), (other, world.other_org)):
            services.save_assessment(
                person, world.round, rec, org, grade=world.grade("B"), rationale="", as_of=AS_OF
            )
    cluster_of(world, world.recs[:3])
    _login(client, who)
    with django_assert_max_num_queries(30):
        assert client.get(_url(world, "work")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(_url(world, "recommendation", world.recs[0].pk)).status_code == 200
