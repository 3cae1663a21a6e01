"""Follow-up rounds × roles: "followup.manage_round" (coordinators, admins, the command line)
through the services of `followup.rounds` and through the pages, plus an assessor and a
reviewer of the round, who take part but do not manage it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.followup.rounds_helpers import make_round, member_of, scale, usa_review
from uprhub.core import rules
from uprhub.followup import rounds
from uprhub.followup.models import AssessmentRound, RoundRole

from .grid import ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db

STAFF = {"system", "coordinator", "admin"}
ROUND_ROLES = [*ROLES, "assessor", "reviewer"]


def _who(role: str, round_: AssessmentRound):
    if role == "assessor":
        user, organisation = member_of()
        rounds.add_role(None, round_, user, "assessor", organisation)
        return user
    if role == "reviewer":
        user = make_user("member")
        rounds.add_role(None, round_, user, "reviewer")
        return user
    return actor(role)


def _expected(role: str) -> str:
    return "allow" if role in STAFF else "deny"


@pytest.mark.parametrize("role", ROLES)
def test_create(role):
    who = actor(role)
    review = usa_review()
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=None,
        expected=row(STAFF)[role],
        call=lambda: rounds.create_round(
            who, review=review, name="Grid", scale=scale(), as_of=date(2022, 6, 1)
        ),
        snapshot=lambda: AssessmentRound.objects.count(),
    )


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_update(role):
    made = make_round()
    who = _who(role, made)
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=made,
        expected=_expected(role),
        call=lambda: rounds.update_round(who, made, version=made.version, name="Renamed"),
        snapshot=lambda: AssessmentRound.objects.get(pk=made.pk).name,
    )


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_close(role):
    made = make_round()
    who = _who(role, made)
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=made,
        expected=_expected(role),
        call=lambda: rounds.close_round(who, made),
        snapshot=lambda: AssessmentRound.objects.get(pk=made.pk).closed,
    )


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_add_and_remove_role(role):
    made = make_round()
    who = _who(role, made)
    person, organisation = member_of()
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=made,
        expected=_expected(role),
        call=lambda: rounds.add_role(who, made, person, "assessor", organisation),
        snapshot=lambda: RoundRole.objects.count(),
    )
    target = rounds.add_role(None, made, make_user("member"), "reviewer")
    check_cell(
        who=who,
        perm="followup.manage_round",
        obj=made,
        expected=_expected(role),
        call=lambda: rounds.remove_role(who, target),
        snapshot=lambda: RoundRole.objects.filter(pk=target.pk).count(),
    )


# The pages: the same people, through the HTTP client (the command line has no page).
WEB_ROLES = [r for r in ROUND_ROLES if r != "system"]


@pytest.mark.parametrize("role", WEB_ROLES)
def test_pages(client, role):
    made = make_round()
    who = _who(role, made)
    if role != "anonymous":
        client.force_login(who)
    manage = [
        reverse("followup:round_new"),
        reverse("followup:round_edit", args=[made.slug]),
        reverse("followup:round_people", args=[made.slug]),
    ]
    view = [reverse("followup:rounds"), made.get_absolute_url()]
    for url in manage + view:
        status = client.get(url).status_code
        if role == "anonymous":
            assert status == 302, url
        elif url in manage:
            assert status == (200 if role in STAFF else 403), (role, url)
        else:
            allowed = role in STAFF or role in {"assessor", "reviewer"}
            assert status == (200 if allowed else 403), (role, url)
    closed = client.post(reverse("followup:round_close", args=[made.slug])).status_code
    assert closed == (302 if role in STAFF or role == "anonymous" else 403)
    assert AssessmentRound.objects.get(pk=made.pk).closed is (role in STAFF)


@pytest.mark.parametrize("role", ROUND_ROLES)
def test_view_work(role):
    # A read (the round's pages): its participants, coordinators, admins and the command
    # line; an assessor or reviewer of another round does not see this one.
    made = make_round()
    other = make_round(made.review, name="Other")
    who = _who(role, other if role in {"assessor", "reviewer"} else made)
    expected = role in STAFF
    assert rules.has_perm(who, "followup.view_work", made) is expected
    if role in {"assessor", "reviewer"}:
        assert rules.has_perm(who, "followup.view_work", other)
