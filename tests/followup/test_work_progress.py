"""A round's progress per theme and per assessor, and the work list's fixed query count."""

from __future__ import annotations

import pytest

from tests.factories import ThemeFactory, VocabularyFactory
from uprhub.followup import progress, services
from uprhub.recommendations.models import Label

from .work_data import AS_OF, assessor, cluster_of, make_world, reviewer

pytestmark = pytest.mark.django_db


def _counts(groups):
    return {g.label: g.counts.as_dict() for g in groups}


def test_progress_per_theme_and_assessor():
    world = make_world(recommendations=5)  # themes: DP, IP, DP, IP, none
    a, b = assessor(world), assessor(world, world.other_org)
    boss = reviewer(world)
    rec1, rec2, rec3, _rec4, rec5 = world.recs
    kwargs = {"rationale": "", "as_of": AS_OF}
    services.save_assessment(a, world.round, rec1, world.org, grade=world.grade("A"), **kwargs)
    services.save_assessment(
        b, world.round, rec1, world.other_org, grade=world.grade("D"), **kwargs
    )
    services.save_assessment(a, world.round, rec2, world.org, grade=world.grade("B"), **kwargs)
    position = services.save_position(
        boss, world.round, rec3, grade=world.grade("C"), version=None, **kwargs
    )
    services.submit_for_review(boss, position, version=1)
    position = services.save_position(
        boss, world.round, rec5, grade=world.grade("C"), version=None, **kwargs
    )
    position = services.submit_for_review(boss, position, version=1)
    services.publish(boss, position, version=2)

    found = progress.round_progress(world.round)
    assert found.overall.as_dict() == {"total": 5, "assessed": 4, "in_review": 1, "published": 1}
    themes = _counts(found.themes)
    assert list(themes) == ["Death penalty", "Indigenous peoples", "No theme"]
    assert themes["Death penalty"] == {"total": 2, "assessed": 2, "in_review": 1, "published": 0}
    assert themes["Indigenous peoples"] == {
        "total": 2,
        "assessed": 1,
        "in_review": 0,
        "published": 0,
    }
    assert themes["No theme"] == {"total": 1, "assessed": 1, "in_review": 0, "published": 1}
    organisations = _counts(found.organisations)
    assert organisations[world.org.name]["assessed"] == 2
    assert organisations[world.other_org.name]["assessed"] == 1
    people = _counts(found.people)
    assert people[a.profile.full_name]["assessed"] == 2


def test_themes_from_the_vocabulary_most_used_in_the_review():
    world = make_world(recommendations=3)
    sdg = VocabularyFactory(slug="sdg", name="SDGs")
    goal = ThemeFactory(vocabulary=sdg, name="Goal 16")
    # One SDG label only: UPR Info's issues (two labels) stay the themes.
    Label.objects.create(recommendation=world.recs[0], theme=goal)
    labels = [g.label for g in progress.round_progress(world.round).themes]
    assert "Goal 16" not in labels and "Death penalty" in labels
    for rec in world.recs:
        Label.objects.get_or_create(recommendation=rec, theme=goal)
    Label.objects.create(recommendation=world.recs[1], theme=ThemeFactory(vocabulary=sdg))
    labels = [g.label for g in progress.round_progress(world.round).themes]
    assert "Goal 16" in labels and "Death penalty" not in labels


@pytest.mark.parametrize("size", [4, 30])
def test_work_list_in_a_fixed_number_of_queries(size, django_assert_num_queries):
    world = make_world(slug=f"size{size}", recommendations=size)
    who = assessor(world)
    for rec in world.recs:
        services.save_assessment(
            who, world.round, rec, world.org, grade=world.grade("B"), rationale="", as_of=AS_OF
        )
    cluster_of(world, world.recs[:2])
    with django_assert_num_queries(11):
        listing = progress.work_list(world.round, status="assessed")
    assert len(listing.rows) == size
    assert all(len(row.assessments) == 1 for row in listing.rows)
    assert listing.rows[0].clusters and listing.rows[0].themes
