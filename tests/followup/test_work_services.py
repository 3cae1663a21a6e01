"""The write services of assessing and reviewing: versions, transitions, state errors,
evidence, adopting an assessment, and a cluster in one step (all or nothing, bounded queries)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from uprhub.followup import services
from uprhub.followup.models import (
    Assessment,
    EvidenceItem,
    Grade,
    Position,
    PositionRevision,
    PositionStatus,
)
from uprhub.followup.services import ConflictError, FollowupError

from .work_data import (
    AS_OF,
    assessor,
    cluster_of,
    foreign_recommendation,
    make_world,
    reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world(recommendations=3)


def _position(world, who, rec=None, code="C"):
    return services.save_position(
        who,
        world.round,
        rec or world.recs[0],
        grade=world.grade(code),
        rationale="Nothing changed.",
        as_of=AS_OF,
        version=None,
    )


# --- assessments ---------------------------------------------------------------------------------


def test_assessment_created_then_version_checked(world):
    who = assessor(world)
    first = services.save_assessment(
        who,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("B"),
        rationale="Some.",
        as_of=AS_OF,
    )
    assert first.version == 1
    second = services.save_assessment(
        who,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("A"),
        rationale="More.",
        as_of=AS_OF,
        version=1,
    )
    assert (second.version, second.grade.code) == (2, "A")
    with pytest.raises(ConflictError) as raised:
        services.save_assessment(
            who,
            world.round,
            world.recs[0],
            world.org,
            grade=world.grade("E"),
            rationale="Old.",
            as_of=AS_OF,
            version=1,
        )
    assert raised.value.current.rationale == "More."
    assert "26.1" in str(raised.value)
    assert Assessment.objects.get().grade.code == "A"


def test_new_assessment_over_an_existing_one_is_a_clash(world):
    who = assessor(world)
    kwargs = {"grade": world.grade("B"), "rationale": "x", "as_of": AS_OF}
    services.save_assessment(who, world.round, world.recs[0], world.org, **kwargs)
    with pytest.raises(ConflictError):
        services.save_assessment(who, world.round, world.recs[0], world.org, **kwargs)
    assert Assessment.objects.count() == 1


def test_assessment_grade_must_be_on_the_round_scale(world):
    other = Grade.objects.get(scale__slug="upr-info", code="fully")
    with pytest.raises(FollowupError, match="scale"):
        services.save_assessment(
            assessor(world),
            world.round,
            world.recs[0],
            world.org,
            grade=other,
            rationale="",
            as_of=AS_OF,
        )
    assert not Assessment.objects.exists()


def test_assessor_only_for_their_organisation(world):
    who = assessor(world)
    with pytest.raises(PermissionDenied):
        services.save_assessment(
            who,
            world.round,
            world.recs[0],
            world.other_org,
            grade=world.grade("B"),
            rationale="",
            as_of=AS_OF,
        )


def test_recommendation_of_another_review_refused(world):
    stranger = foreign_recommendation("99.1")
    with pytest.raises(FollowupError, match="99.1"):
        services.save_assessment(
            assessor(world),
            world.round,
            stranger,
            world.org,
            grade=world.grade("B"),
            rationale="",
            as_of=AS_OF,
        )


def test_closed_round_takes_no_assessment(world):
    who = assessor(world)
    world.round.closed = True
    world.round.save()
    with pytest.raises(FollowupError, match="closed"):
        services.save_assessment(
            who,
            world.round,
            world.recs[0],
            world.org,
            grade=world.grade("B"),
            rationale="",
            as_of=AS_OF,
        )


# --- positions and transitions -------------------------------------------------------------------


def test_position_saves_bump_version_and_keep_revisions(world):
    who = assessor(world)
    position = _position(world, who)
    assert (position.status, position.version) == (PositionStatus.DRAFT, 1)
    position = services.save_position(
        who,
        world.round,
        world.recs[0],
        grade=world.grade("B"),
        rationale="Better.",
        as_of=AS_OF,
        version=1,
        note="after the law passed",
    )
    assert position.version == 2
    revisions = list(position.revisions.all())
    assert [r.version for r in revisions] == [2, 1]
    assert revisions[0].note == "after the law passed"
    assert revisions[0].author_label == who.profile.full_name
    with pytest.raises(ConflictError) as raised:
        services.save_position(
            who,
            world.round,
            world.recs[0],
            grade=world.grade("E"),
            rationale="Stale.",
            as_of=AS_OF,
            version=1,
        )
    assert raised.value.current.rationale == "Better."
    assert Position.objects.get().rationale == "Better."


def test_full_cycle_draft_review_publish_send_back(world):
    drafter, boss = assessor(world), reviewer(world)
    position = _position(world, drafter)
    position = services.submit_for_review(drafter, position, version=1)
    assert position.status == PositionStatus.IN_REVIEW
    # In review: only reviewers change it.
    with pytest.raises(PermissionDenied):
        services.save_position(
            drafter,
            world.round,
            world.recs[0],
            grade=world.grade("A"),
            rationale="",
            as_of=AS_OF,
            version=position.version,
        )
    with pytest.raises(PermissionDenied):
        services.publish(drafter, position, version=position.version)
    position = services.save_position(
        boss,
        world.round,
        world.recs[0],
        grade=world.grade("A"),
        rationale="Checked.",
        as_of=AS_OF,
        version=position.version,
    )
    position = services.publish(boss, position, version=position.version)
    assert position.status == PositionStatus.PUBLISHED
    assert position.published_by == boss and position.published_at is not None
    with pytest.raises(FollowupError, match="send it back"):
        services.save_position(
            boss,
            world.round,
            world.recs[0],
            grade=world.grade("B"),
            rationale="",
            as_of=AS_OF,
            version=position.version,
        )
    with pytest.raises(FollowupError, match="note"):
        services.send_back(boss, position, version=position.version, note="  ")
    position = services.send_back(boss, position, version=position.version, note="New facts.")
    assert position.status == PositionStatus.DRAFT and position.published_at is None
    statuses = list(position.revisions.values_list("status", flat=True))
    assert statuses == ["draft", "published", "in_review", "in_review", "draft"]


def test_transitions_are_version_checked(world):
    drafter, boss = assessor(world), reviewer(world)
    position = _position(world, drafter)
    services.submit_for_review(drafter, position, version=1)
    with pytest.raises(ConflictError):
        services.publish(boss, position, version=1)
    assert Position.objects.get().status == PositionStatus.IN_REVIEW


def test_wrong_transitions_say_why(world):
    drafter, boss = assessor(world), reviewer(world)
    position = _position(world, drafter)
    with pytest.raises(FollowupError):
        services.publish(boss, position, version=1)
    with pytest.raises(FollowupError):
        services.send_back(boss, position, version=1, note="why")
    position = services.submit_for_review(drafter, position, version=1)
    with pytest.raises(FollowupError, match="draft"):
        services.submit_for_review(boss, position, version=position.version)


def test_closed_round_refuses_transitions(world):
    drafter, boss = assessor(world), reviewer(world)
    position = services.submit_for_review(drafter, _position(world, drafter), version=1)
    world.round.closed = True
    world.round.save()
    position.round.refresh_from_db()
    with pytest.raises(FollowupError, match="closed"):
        services.publish(boss, position, version=position.version)


# --- evidence and adopting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "un_document", "document_symbol": "A/HRC/WG.6/50/USA/2"}, "paragraph"),
        ({"kind": "url"}, "address"),
        ({"kind": "url", "url": "not an address"}, "address"),
        ({"kind": "law"}, "title"),
        ({"kind": "court_case"}, "title"),
        ({"kind": "news"}, "title"),
        ({"kind": "other", "quote": "x" * 3001}, "3000"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_evidence_validation(world, fields, message):
    who = assessor(world)
    assessment = services.save_assessment(
        who,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("B"),
        rationale="",
        as_of=AS_OF,
    )
    with pytest.raises(FollowupError, match=message):
        services.add_evidence(who, assessment, **fields)
    assert not EvidenceItem.objects.exists()


def test_evidence_added_and_removed(world):
    who = assessor(world)
    assessment = services.save_assessment(
        who,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("B"),
        rationale="",
        as_of=AS_OF,
    )
    item = services.add_evidence(
        who,
        assessment,
        kind="un_document",
        document_symbol="A/HRC/WG.6/50/USA/2",
        paragraph=26,
        quote="The State abolished it.",
    )
    second = services.add_evidence(who, assessment, kind="url", url="https://example.org/a")
    assert (item.order, second.order) == (1, 2)
    with pytest.raises(PermissionDenied):
        services.remove_evidence(assessor(world, world.other_org), item)
    services.remove_evidence(who, item)
    assert list(EvidenceItem.objects.values_list("pk", flat=True)) == [second.pk]


def test_adopt_assessment_copies_grade_rationale_and_evidence(world):
    who, drafter = assessor(world), assessor(world, world.other_org)
    assessment = services.save_assessment(
        who,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("D"),
        rationale="No reply.",
        as_of=datetime.date(2025, 1, 1),
    )
    services.add_evidence(who, assessment, kind="law", title="Act 12", quote="q")
    position = services.adopt_assessment(drafter, world.round, assessment, version=None)
    assert (position.grade.code, position.rationale) == ("D", "No reply.")
    assert list(position.evidence.values_list("title", flat=True)) == ["Act 12"]
    # Adopting again does not double the evidence, and is version-checked.
    position = services.adopt_assessment(drafter, position, assessment, version=1)
    assert position.evidence.count() == 1 and position.version == 2
    with pytest.raises(ConflictError):
        services.adopt_assessment(drafter, position, assessment, version=1)
    assert "Adopted" in position.revisions.first().note


# --- clusters ------------------------------------------------------------------------------------


def test_cluster_assessed_in_one_step_with_overrides(world):
    who = assessor(world)
    cluster = cluster_of(world)
    a, b, c = world.recs
    saved = services.assess_cluster(
        who,
        world.round,
        cluster,
        target="organisation",
        organisation=world.org,
        grade=world.grade("D"),
        rationale="No abolition.",
        as_of=AS_OF,
        overrides={
            b.pk: {"grade": world.grade("B").pk, "rationale": "Moratorium."},
            c.pk: {"skip": True},
        },
        versions={},
    )
    assert len(saved) == 2
    rows = {x.recommendation_id: x for x in Assessment.objects.all()}
    assert rows[a.pk].grade.code == "D" and rows[a.pk].rationale == "No abolition."
    assert rows[b.pk].grade.code == "B" and rows[b.pk].rationale == "Moratorium."
    assert c.pk not in rows
    # Again, from the versions seen: both bumped.
    services.assess_cluster(
        who,
        world.round,
        cluster,
        target="organisation",
        organisation=world.org,
        grade=world.grade("C"),
        rationale="",
        as_of=AS_OF,
        overrides={c.pk: {"skip": True}},
        versions={a.pk: 1, b.pk: 1},
    )
    assert sorted(Assessment.objects.values_list("version", flat=True)) == [2, 2]


def _big_world(n=12):
    world = make_world(slug="big", recommendations=n)
    return world, cluster_of(world)


def test_cluster_of_twelve_all_or_nothing_failure_on_the_seventh():
    world, cluster = _big_world()
    who = reviewer(world)
    seventh = world.recs[6]
    other_scale = Grade.objects.get(scale__slug="upr-info", code="fully")
    with pytest.raises(FollowupError, match=seventh.paragraph):
        services.assess_cluster(
            who,
            world.round,
            cluster,
            target="position",
            grade=world.grade("D"),
            rationale="r",
            as_of=AS_OF,
            overrides={seventh.pk: {"grade": other_scale}},
            versions={},
        )
    assert not Position.objects.exists() and not PositionRevision.objects.exists()


def test_cluster_clash_on_the_seventh_writes_nothing():
    world, cluster = _big_world()
    who = reviewer(world)
    seventh = world.recs[6]
    _position(world, who, rec=seventh)  # someone drafted it meanwhile
    with pytest.raises(ConflictError) as raised:
        services.assess_cluster(
            who,
            world.round,
            cluster,
            target="position",
            grade=world.grade("D"),
            rationale="r",
            as_of=AS_OF,
            overrides={},
            versions={},
        )
    assert raised.value.paragraphs == [seventh.paragraph]
    assert seventh.paragraph in str(raised.value)
    assert Position.objects.count() == 1 and PositionRevision.objects.count() == 1


def test_cluster_refuses_published_positions_by_paragraph():
    world, cluster = _big_world(3)
    boss = reviewer(world)
    position = _position(world, boss, rec=world.recs[1])
    position = services.submit_for_review(boss, position, version=1)
    position = services.publish(boss, position, version=2)
    with pytest.raises(FollowupError, match=world.recs[1].paragraph):
        services.assess_cluster(
            boss,
            world.round,
            cluster,
            target="position",
            grade=world.grade("D"),
            rationale="r",
            as_of=AS_OF,
            overrides={},
            versions={world.recs[1].pk: 3},
        )


def test_cluster_of_twelve_in_bounded_queries(django_assert_max_num_queries):
    world, cluster = _big_world()
    who = reviewer(world)
    overrides = {world.recs[3].pk: {"grade": "A"}, world.recs[4].pk: {"skip": True}}
    with django_assert_max_num_queries(12):
        saved = services.assess_cluster(
            who,
            world.round,
            cluster,
            target="position",
            grade=world.grade("D"),
            rationale="r",
            as_of=AS_OF,
            overrides=overrides,
            versions={},
        )
    assert len(saved) == 11
    versions = {p.recommendation_id: p.version for p in Position.objects.all()}
    with django_assert_max_num_queries(12):
        services.assess_cluster(
            who,
            world.round,
            cluster,
            target="position",
            grade=world.grade("C"),
            rationale="again",
            as_of=AS_OF,
            overrides={},
            versions=versions,
        )
    assert Position.objects.count() == 12
    assert PositionRevision.objects.count() == 11 + 12


def test_cluster_target_organisation_needs_assessor_of_that_organisation():
    world, cluster = _big_world(3)
    with pytest.raises(PermissionDenied):
        services.assess_cluster(
            reviewer(world),
            world.round,
            cluster,
            target="organisation",
            organisation=world.org,
            grade=world.grade("D"),
            rationale="",
            as_of=AS_OF,
            overrides={},
            versions={},
        )


def test_cluster_names_positions_in_review_for_assessors():
    world, cluster = _big_world(3)
    drafter = assessor(world)
    position = _position(world, drafter, rec=world.recs[2])
    services.submit_for_review(drafter, position, version=1)
    versions = {world.recs[2].pk: 2}
    with pytest.raises(FollowupError, match=f"{world.recs[2].paragraph} is in review"):
        services.assess_cluster(
            drafter,
            world.round,
            cluster,
            target="position",
            grade=world.grade("D"),
            rationale="r",
            as_of=AS_OF,
            overrides={},
            versions=versions,
        )
    assert Position.objects.count() == 1
    # Skipping it, the rest is saved.
    saved = services.assess_cluster(
        drafter,
        world.round,
        cluster,
        target="position",
        grade=world.grade("D"),
        rationale="r",
        as_of=AS_OF,
        overrides={world.recs[2].pk: {"skip": True}},
        versions={},
    )
    assert len(saved) == 2


def test_publishing_and_sending_back_move_the_public_pages_data_version(
    world, django_capture_on_commit_callbacks
):
    # The transitions write with update(), which sends no save signal: the cached public
    # pages (scorecard, State and recommendation panels) must still be told.
    from uprhub.search.index import current_version

    drafter, boss = assessor(world), reviewer(world)
    position = services.submit_for_review(drafter, _position(world, drafter), version=1)
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        position = services.publish(boss, position, version=position.version)
    published = current_version()
    assert published != before
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back(boss, position, version=position.version, note="New facts.")
    assert current_version() != published
