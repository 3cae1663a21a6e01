"""Accounts pages and actions × anonymous / registered / member / coordinator / admin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from uprhub.accounts.models import RoleChange

from .factories import PASSWORD, ROLES, OrganisationFactory, make_user
from .grid import Case, everyone, run_case

LOGIN = 302
FORBIDDEN = 403
NOT_FOUND = 404  # someone else's organisation does not exist for people outside it


@pytest.fixture
def world(db, themes):
    owner = make_user("member")
    organisation = OrganisationFactory()
    organisation.memberships.create(user=owner, role_in_org="contact")
    return SimpleNamespace(organisation=organisation, target=make_user("registered"), themes=themes)


def organisation_data(world) -> dict:
    return {"name": "Renamed Group", "kind": "ngo", "country": "United States"}


CASES = [
    Case("signup page", "get", lambda w: reverse("accounts:signup"), (200, 302, 302, 302, 302)),
    Case(
        "signup",
        "post",
        lambda w: reverse("accounts:signup"),
        everyone(302),
        data=lambda w: {
            "full_name": "New Person",
            "email": "new.person@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        anonymous_to_login=False,
    ),
    Case("signup done page", "get", lambda w: reverse("accounts:signup_done"), everyone(200)),
    Case("login page", "get", lambda w: reverse("accounts:login"), (200, 302, 302, 302, 302)),
    Case(
        "logout",
        "post",
        lambda w: reverse("accounts:logout"),
        everyone(302),
        anonymous_to_login=False,
    ),
    Case("password reset page", "get", lambda w: reverse("accounts:password_reset"), everyone(200)),
    Case(
        "password reset",
        "post",
        lambda w: reverse("accounts:password_reset"),
        everyone(302),
        data=lambda w: {"email": w.target.email},
        anonymous_to_login=False,
    ),
    Case(
        "password change page",
        "get",
        lambda w: reverse("accounts:password_change"),
        (LOGIN, 200, 200, 200, 200),
    ),
    Case("profile page", "get", lambda w: reverse("accounts:profile"), (LOGIN, 200, 200, 200, 200)),
    Case(
        "profile save",
        "post",
        lambda w: reverse("accounts:profile"),
        (LOGIN, 302, 302, 302, 302),
        data=lambda w: {"full_name": "Changed Name", "experience": "some", "country": "Canada"},
    ),
    Case(
        "organisation list",
        "get",
        lambda w: reverse("accounts:organisation_list"),
        (LOGIN, 200, 200, 200, 200),
    ),
    Case(
        "organisation detail",
        "get",
        lambda w: reverse("accounts:organisation_detail", args=[w.organisation.pk]),
        (LOGIN, NOT_FOUND, NOT_FOUND, 200, 200),
    ),
    Case(
        "organisation create page",
        "get",
        lambda w: reverse("accounts:organisation_create"),
        (LOGIN, 200, 200, 200, 200),
    ),
    Case(
        "organisation create",
        "post",
        lambda w: reverse("accounts:organisation_create"),
        (LOGIN, 302, 302, 302, 302),
        data=lambda w: {"name": "Brand New Group", "kind": "academic", "country": "Mexico"},
    ),
    # Someone else's organisation: only coordinators and admins (and its own members).
    Case(
        "organisation edit page",
        "get",
        lambda w: reverse("accounts:organisation_edit", args=[w.organisation.pk]),
        (LOGIN, NOT_FOUND, NOT_FOUND, 200, 200),
    ),
    Case(
        "organisation edit",
        "post",
        lambda w: reverse("accounts:organisation_edit", args=[w.organisation.pk]),
        (LOGIN, NOT_FOUND, NOT_FOUND, 302, 302),
        data=organisation_data,
    ),
    Case(
        "people and roles",
        "get",
        lambda w: reverse("accounts:people"),
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 200),
    ),
    Case(
        "set role",
        "post",
        lambda w: reverse("accounts:set_role", args=[w.target.pk]),
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, 302),
        data=lambda w: {"role": "coordinator", "reason": "runs the housing group"},
    ),
    # The admin site: only administrators are staff.
    Case(
        "admin site",
        "get",
        lambda w: reverse("admin:index"),
        (302, 302, 302, 302, 200),
        anonymous_to_login=False,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_grid(case: Case, role: str, client_as, world) -> None:
    run_case(case, role, client_as(role), world)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_roles(role: str, client_as, world) -> None:
    client = client_as(role)
    client.post(reverse("accounts:set_role", args=[world.target.pk]), {"role": "admin"})
    world.target.profile.refresh_from_db()
    changed = world.target.profile.role == "admin"
    assert changed == (role == "admin")
    assert RoleChange.objects.filter(user=world.target).exists() == (role == "admin")


@pytest.mark.parametrize("role", ["registered", "member"])
def test_own_organisation_is_editable(role: str, client, world) -> None:
    user = make_user(role)
    world.organisation.memberships.create(user=user)
    client.force_login(user)
    url = reverse("accounts:organisation_edit", args=[world.organisation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, organisation_data(world))
    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Renamed Group"


def test_forbidden_edit_changes_nothing(client_as, world) -> None:
    client = client_as("member")
    url = reverse("accounts:organisation_edit", args=[world.organisation.pk])
    client.post(url, organisation_data(world))
    world.organisation.refresh_from_db()
    assert world.organisation.name != "Renamed Group"


def test_csrf_is_enforced(world) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("admin"))
    response = client.post(reverse("accounts:set_role", args=[world.target.pk]), {"role": "admin"})
    assert response.status_code == 403
    world.target.profile.refresh_from_db()
    assert world.target.profile.role == ""
