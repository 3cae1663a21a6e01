"""Accounts permissions × roles: site roles, profiles, organisations."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory
from uprhub.accounts import selectors, services
from uprhub.accounts.choices import Role
from uprhub.accounts.models import (
    Membership,
    Organisation,
    OrganisationEvent,
    OrganisationRole,
    Profile,
    RoleChange,
)
from uprhub.accounts.policy import RoleGrant
from uprhub.core.rules import has_perm

from .grid import ROLES, actor, check_cell, row

pytestmark = pytest.mark.django_db


def _roles():
    return list(Profile.objects.order_by("pk").values_list("role", flat=True)), (
        RoleChange.objects.count()
    )


CHANGES = [
    (target, new)
    for target in ("registered", "member", "coordinator")
    for new in (Role.MEMBER, Role.COORDINATOR, Role.ADMIN, Role.NONE)
    if new != {"registered": Role.NONE}.get(target, target)
]


@pytest.mark.parametrize(("target_role", "new_role"), CHANGES)
@pytest.mark.parametrize("role", ROLES)
def test_set_role(role, target_role, new_role):
    who = actor(role)
    person = actor(target_role)
    # Approving an application: coordinators make someone without a role a member, no more.
    grants_membership = new_role == Role.MEMBER and target_role == "registered"
    allowed = {"system", "admin"} | ({"coordinator"} if grants_membership else set())
    check_cell(
        who=who,
        perm="accounts.set_role",
        obj=RoleGrant(person, new_role),
        expected=row(allowed)[role],
        call=lambda: services.set_role(person, new_role, actor=who, reason="grid"),
        snapshot=_roles,
    )


@pytest.mark.parametrize("whose", ["own", "someone else's"])
@pytest.mark.parametrize("role", ROLES)
def test_edit_a_profile(role, whose):
    who = actor(role)
    person = who if whose == "own" and who is not None and who.is_authenticated else None
    person = person or actor("member")
    allowed = {"system", "admin"} | ({role} if whose == "own" and role != "anonymous" else set())
    check_cell(
        who=who,
        perm="accounts.edit_profile",
        obj=person,
        expected=row(allowed)[role],
        call=lambda: services.update_profile(person, actor=who, city="Detroit Grid"),
        snapshot=lambda: list(Profile.objects.values_list("city", flat=True)),
    )


@pytest.mark.parametrize("inside", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_edit_an_organisation(role, inside):
    organisation = OrganisationFactory()
    who = actor(role)
    if inside and who is not None and who.is_authenticated:
        Membership.objects.create(user=who, organisation=organisation)
    signed_in = role not in {"system", "anonymous"}
    allowed = {"system", "coordinator", "admin"} | ({role} if inside and signed_in else set())
    check_cell(
        who=who,
        perm="accounts.edit_organisation",
        obj=organisation,
        expected=row(allowed)[role],
        call=lambda: services.update_organisation(
            organisation, actor=who, description="Edited in the grid."
        ),
        snapshot=lambda: list(Organisation.objects.values_list("description", flat=True)),
    )


@pytest.mark.parametrize("role", ROLES)
def test_create_an_organisation(role):
    who = actor(role)
    check_cell(
        who=who,
        perm="accounts.create_organisation",
        obj=None,
        expected=row(set(ROLES) - {"system", "anonymous"})[role],
        call=lambda: services.create_organisation(actor=who, name="Grid Org", kind="ngo"),
        snapshot=lambda: Organisation.objects.count(),
    )


# --- organisations: who sees them, who adds members, who reviews claims ----------------------
# These fail on the code before the one vocabulary: the names had no rule (`has_perm` raised
# UnknownPermission), and confirming an already confirmed claim was not a state error.

SIGNED_IN = {"registered", "member", "coordinator", "admin"}
RELATIONS = ["contact", "member", "outsider"]


def _organisation_with(who, relation: str, *, verified: bool = True) -> Organisation:
    organisation = OrganisationFactory(verified_at=timezone.now() if verified else None)
    if relation != "outsider" and who is not None and who.is_authenticated:
        Membership.objects.create(
            user=who,
            organisation=organisation,
            role_in_org=OrganisationRole.CONTACT if relation == "contact" else "member",
        )
    return organisation


def _page_status(client, who, url: str) -> int:
    if who is not None and who.is_authenticated:
        client.force_login(who)
    return client.get(url).status_code


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_view_an_organisation(client, role, relation):
    who = actor(role)
    organisation = _organisation_with(who, relation)
    signed_in = role in SIGNED_IN
    allowed = {"coordinator", "admin"} | ({role} if relation != "outsider" and signed_in else set())
    assert has_perm(who, "accounts.view_organisation", organisation) is (role in allowed)
    if role == "system":
        return
    # Anyone else meets a 404: the organisation's existence is private too.
    status = _page_status(
        client, who, reverse("accounts:organisation_detail", args=[organisation.pk])
    )
    assert status == (200 if role in allowed else 302 if role == "anonymous" else 404)


@pytest.mark.parametrize("verified", [True, False], ids=["confirmed", "claim"])
@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_add_a_member(role, relation, verified):
    who = actor(role)
    organisation = _organisation_with(who, relation, verified=verified)
    person = actor("registered")
    # The contact person once the claim is confirmed; admins in any state; nobody else (the
    # command line neither: memberships are someone's explicit act).
    contact_ok = relation == "contact" and verified and role in SIGNED_IN
    allowed = {"admin"} | ({role} if contact_ok else set())
    check_cell(
        who=who,
        perm="accounts.manage_members",
        obj=organisation,
        expected=row(allowed)[role],
        call=lambda: services.add_member(organisation, person, actor=who),
        snapshot=lambda: (
            Membership.objects.filter(organisation=organisation).count(),
            OrganisationEvent.objects.count(),
        ),
    )


def _claims():
    return (
        list(Organisation.objects.order_by("pk").values_list("pk", "verified_at")),
        OrganisationEvent.objects.count(),
    )


@pytest.mark.parametrize("verified", [False, True], ids=["pending claim", "confirmed"])
@pytest.mark.parametrize("decision", ["confirm", "reject"])
@pytest.mark.parametrize("role", ROLES)
def test_review_a_claim(role, decision, verified):
    who = actor(role)
    organisation = _organisation_with(actor("member"), "contact", verified=verified)
    act = services.confirm_organisation_claim if decision == "confirm" else None
    check_cell(
        who=who,
        perm="accounts.review_claim",
        obj=organisation,
        expected=row({"coordinator", "admin"}, refused_for_state=verified)[role],
        call=(
            (lambda: act(organisation, actor=who))
            if act
            else (lambda: services.reject_organisation_claim(organisation, actor=who))
        ),
        snapshot=_claims,
        state_error=services.ClaimAlreadyConfirmed,
    )


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", ROLES)
def test_see_unlisted_members(role, relation):
    who = actor(role)
    organisation = _organisation_with(who, relation)
    hidden = actor("member")
    Profile.objects.filter(user=hidden).update(listed_in_directory=False)
    Membership.objects.create(user=hidden, organisation=organisation)
    allowed = {"coordinator", "admin"} | (
        {role} if relation == "contact" and role in SIGNED_IN else set()
    )
    assert has_perm(who, "accounts.see_unlisted_members", organisation) is (role in allowed)
    if role in {"system", "anonymous"}:
        return
    shown = {r.membership.user_id for r in selectors.visible_members(organisation, who)}
    assert (hidden.pk in shown) is (role in allowed)


@pytest.mark.parametrize("role", ROLES)
def test_manage_roles_pages(client, role):
    who = actor(role)
    assert has_perm(who, "accounts.manage_roles") is (role == "admin")
    if role == "system":
        return
    status = _page_status(client, who, reverse("accounts:people"))
    assert status == (200 if role == "admin" else 302 if role == "anonymous" else 403)


def test_a_second_confirm_click_looks_the_same_and_writes_nothing_more(client):
    # The service refuses a confirmed claim (state half); the page still says it is confirmed.
    organisation = _organisation_with(actor("member"), "contact", verified=False)
    client.force_login(actor("coordinator"))
    url = reverse("accounts:organisation_claim", args=[organisation.pk])
    for _click in range(2):
        response = client.post(url, {"decision": "confirm"}, follow=True)
        assert b"The claim is confirmed" in response.content
    events = OrganisationEvent.objects.filter(organisation=organisation, action="claim_confirmed")
    assert events.count() == 1
