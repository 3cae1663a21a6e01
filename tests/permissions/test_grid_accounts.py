"""Accounts permissions × roles: site roles, profiles, organisations."""

from __future__ import annotations

import pytest

from tests.accounts.factories import OrganisationFactory
from uprhub.accounts import services
from uprhub.accounts.choices import Role
from uprhub.accounts.models import Membership, Organisation, Profile, RoleChange
from uprhub.core.rules import RoleGrant

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
