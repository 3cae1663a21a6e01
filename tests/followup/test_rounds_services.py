"""Assessment rounds' services: who may, dates in order, version clashes, the scale fixed
once work began, roles only for members of the organisation (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.accounts.factories import OrganisationFactory, make_user
from tests.factories import RecommendationFactory
from uprhub.followup import rounds
from uprhub.followup.models import Assessment, AssessmentRound, RoundRole

from .rounds_helpers import UPR_INFO, make_round, member_of, scale, usa_review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("system", True),
        ("coordinator", True),
        ("admin", True),
        ("member", False),
        ("registered", False),
    ],
)
def test_create_by_role(role, allowed):
    review = usa_review()
    actor = None if role == "system" else make_user(role)
    create = lambda: rounds.create_round(  # noqa: E731
        actor, review=review, name="Mid-term 2022", scale=scale(), as_of=date(2022, 6, 1)
    )
    if allowed:
        created = create()
        assert created.slug == "mid-term-2022" and created.version == 1
        assert created.created_by == actor
    else:
        with pytest.raises(PermissionDenied):
            create()
        assert not AssessmentRound.objects.exists()


def test_slug_from_the_name_is_unique_and_a_given_one_is_checked():
    review = usa_review()
    first = make_round(review)
    second = make_round(review)
    assert (first.slug, second.slug) == ("mid-term-2022", "mid-term-2022-2")
    with pytest.raises(rounds.RoundError, match="already used"):
        make_round(review, slug="mid-term-2022")
    with pytest.raises(rounds.RoundError, match="already used"):
        make_round(review, slug="new")  # the address of the "New round" page
    assert make_round(review, name="New").slug == "new-2"


@pytest.mark.parametrize(
    ("assessments", "review_due", "publish", "message"),
    [
        (date(2022, 9, 1), date(2022, 8, 1), None, "before the assessments"),
        (None, date(2022, 9, 1), date(2022, 8, 1), "before the review is due"),
        (date(2022, 9, 1), None, date(2022, 8, 1), "before the assessments are due"),
    ],
)
def test_dates_in_order(assessments, review_due, publish, message):
    with pytest.raises(rounds.RoundError, match=message):
        make_round(assessments_due=assessments, review_due=review_due, publish_on=publish)
    assert not AssessmentRound.objects.exists()


def test_same_day_deadlines_are_fine():
    day = date(2022, 9, 1)
    made = make_round(assessments_due=day, review_due=day, publish_on=day)
    assert made.publish_on == day


def test_a_review_without_recommendations_is_refused():
    empty = usa_review(recommendations=0)
    with pytest.raises(rounds.RoundError, match="recommendations"):
        make_round(empty)


def test_update_is_version_checked():
    made = make_round()
    coordinator = make_user("coordinator")
    rounds.update_round(coordinator, made, version=1, name="Mid-term 2023")
    assert made.version == 2 and made.name == "Mid-term 2023"
    stale = AssessmentRound.objects.get(pk=made.pk)
    with pytest.raises(rounds.StaleRound) as clash:
        rounds.update_round(coordinator, stale, version=1, name="Overwritten?")
    assert "Mid-term 2023" in str(clash.value)  # the other person's values are shown
    assert clash.value.current.version == 2
    assert AssessmentRound.objects.get(pk=made.pk).name == "Mid-term 2023"


def test_update_checks_dates_and_refuses_unknown_fields():
    made = make_round(assessments_due=date(2022, 9, 1))
    with pytest.raises(rounds.RoundError, match="before the assessments"):
        rounds.update_round(None, made, version=1, review_due=date(2022, 8, 1))
    with pytest.raises(rounds.RoundError, match="slug"):
        rounds.update_round(None, made, version=1, slug="elsewhere")
    assert AssessmentRound.objects.get(pk=made.pk).version == 1


def test_member_cannot_update():
    made = make_round()
    with pytest.raises(PermissionDenied):
        rounds.update_round(make_user("member"), made, version=1, name="No")


def test_the_scale_is_fixed_once_assessments_exist():
    made = make_round()
    rounds.update_round(None, made, version=1, scale=scale(UPR_INFO))  # nothing assessed yet
    assert made.scale.slug == UPR_INFO
    recommendation = RecommendationFactory(review=made.review)
    Assessment.objects.create(
        round=made,
        recommendation=recommendation,
        organisation=OrganisationFactory(),
        grade=made.scale.grades.first(),
        as_of=date(2022, 6, 1),
    )
    with pytest.raises(rounds.RoundError, match="cannot change"):
        rounds.update_round(None, made, version=made.version, scale=scale())
    rounds.update_round(None, made, version=made.version, name="Still renamable")
    assert AssessmentRound.objects.get(pk=made.pk).scale.slug == UPR_INFO


def test_close_and_reopen():
    made = make_round()
    with pytest.raises(PermissionDenied):
        rounds.close_round(make_user("member"), made)
    rounds.close_round(make_user("coordinator"), made)
    assert made.closed and made.version == 2
    with pytest.raises(rounds.RoundClosed):
        rounds.update_round(None, made, version=2, name="Closed")
    person, organisation = member_of()
    with pytest.raises(rounds.RoundClosed):
        rounds.add_role(None, made, person, "assessor", organisation)
    rounds.reopen_round(None, made)
    assert not made.closed and made.version == 3


def test_an_assessor_must_belong_to_the_organisation():
    made = make_round()
    person, own = member_of()
    other = OrganisationFactory()
    with pytest.raises(rounds.RoundError, match="not a member"):
        rounds.add_role(None, made, person, "assessor", other)
    with pytest.raises(rounds.RoundError, match="organisation"):
        rounds.add_role(None, made, person, "assessor")
    role = rounds.add_role(make_user("coordinator"), made, person, "assessor", own)
    assert role.organisation == own
    with pytest.raises(rounds.RoundError, match="already"):
        rounds.add_role(None, made, person, "assessor", own)
    assert RoundRole.objects.count() == 1


def test_roles_only_for_members_and_up():
    made = make_round()
    registered, organisation = member_of("registered")
    with pytest.raises(rounds.RoundError, match="members"):
        rounds.add_role(None, made, registered, "assessor", organisation)
    reviewer = make_user("member")
    assert rounds.add_role(None, made, reviewer, "reviewer").organisation is None
    with pytest.raises(rounds.RoundError, match="Unknown role"):
        rounds.add_role(None, made, reviewer, "boss")


def test_member_cannot_give_or_remove_roles():
    made = make_round()
    person, organisation = member_of()
    member = make_user("member")
    with pytest.raises(PermissionDenied):
        rounds.add_role(member, made, person, "assessor", organisation)
    role = rounds.add_role(None, made, person, "assessor", organisation)
    with pytest.raises(PermissionDenied):
        rounds.remove_role(member, role)
    rounds.remove_role(make_user("coordinator"), role)
    assert not RoundRole.objects.exists()
