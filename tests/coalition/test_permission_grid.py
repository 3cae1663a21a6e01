"""Taskforce pages and actions × anonymous / registered / member / coordinator / admin."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.accounts.factories import ROLES, ApplicationFactory
from tests.accounts.grid import Case, everyone, run_case
from uprhub.coalition.models import ApplicationDecision

LOGIN = 302
FORBIDDEN = 403


@pytest.fixture
def world(db, themes):
    return SimpleNamespace(application=ApplicationFactory(), themes=themes)


def application_data(world) -> dict:
    return {
        "name": "Rosa Parks",
        "email": "rosa@example.org",
        "experience": "none",
        "motivation": "To bring local voices to Geneva.",
        "themes": [world.themes["Right to housing"].pk],
        "us_state": "AL",
    }


CASES = [
    Case("about the taskforce", "get", lambda w: reverse("coalition:about"), everyone(200)),
    Case("application form", "get", lambda w: reverse("coalition:apply"), everyone(200)),
    Case(
        "apply",
        "post",
        lambda w: reverse("coalition:apply"),
        everyone(302),
        data=application_data,
        anonymous_to_login=False,
    ),
    Case("application sent page", "get", lambda w: reverse("coalition:apply_done"), everyone(200)),
    Case(
        "review queue",
        "get",
        lambda w: reverse("coalition:queue"),
        (LOGIN, FORBIDDEN, FORBIDDEN, 200, 200),
    ),
    Case(
        "review queue filtered",
        "get",
        lambda w: reverse("coalition:queue") + "?status=declined",
        (LOGIN, FORBIDDEN, FORBIDDEN, 200, 200),
    ),
    Case(
        "application detail",
        "get",
        lambda w: reverse("coalition:application_detail", args=[w.application.pk]),
        (LOGIN, FORBIDDEN, FORBIDDEN, 200, 200),
    ),
    Case(
        "decide",
        "post",
        lambda w: reverse("coalition:application_detail", args=[w.application.pk]),
        (LOGIN, FORBIDDEN, FORBIDDEN, 302, 302),
        data=lambda w: {"decision": "ask_info", "message": "Which city are you based in?"},
    ),
    Case(
        "directory",
        "get",
        lambda w: reverse("coalition:directory"),
        (LOGIN, FORBIDDEN, 200, 200, 200),
    ),
    Case(
        "directory filtered",
        "get",
        lambda w: (
            reverse("coalition:directory")
            + f"?theme={w.themes['Right to housing'].pk}&location=state:MI"
        ),
        (LOGIN, FORBIDDEN, 200, 200, 200),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_grid(case: Case, role: str, client_as, world) -> None:
    run_case(case, role, client_as(role), world)


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_decide(role: str, client_as, world) -> None:
    client = client_as(role)
    client.post(
        reverse("coalition:application_detail", args=[world.application.pk]),
        {"decision": "approve", "message": "Welcome!"},
    )
    decided = ApplicationDecision.objects.filter(application=world.application).exists()
    assert decided == (role in {"coordinator", "admin"})
