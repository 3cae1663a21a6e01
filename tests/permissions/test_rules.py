"""The rules module itself: unknown names, the command-line actor, inactive accounts, and
every permission having a grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.core import rules

pytestmark = pytest.mark.django_db


def test_an_unknown_permission_is_an_error_not_a_refusal():
    with pytest.raises(rules.UnknownPermission):
        rules.has_perm(None, "reports.edti")
    with pytest.raises(rules.UnknownPermission):
        rules.require_perm(None, "reports.edti")
    with pytest.raises(rules.UnknownPermission):
        rules.perm_required("reports.edti")


def test_a_switched_off_admin_may_do_nothing():
    admin = make_user("admin")
    assert rules.has_perm(admin, "calendar.set_deadline")
    admin.is_active = False
    assert not rules.has_perm(admin, "calendar.set_deadline")
    with pytest.raises(PermissionDenied):
        rules.require_perm(admin, "calendar.set_deadline")


def test_the_command_line_may_only_what_the_rules_mark_as_system():
    system = {name for name, _who, _state, allowed in rules.describe() if allowed}
    assert system == {
        "accounts.set_role",
        "accounts.edit_profile",
        "accounts.edit_organisation",
        "calendar.set_deadline",
        "calendar.load",
        "consultations.create",
        "consultations.assign_role",
        "consultations.manage",
        "consultations.view_results",
        "consultations.import",
        "followup.manage_round",
        "followup.view_work",
    }
    for name in rules.RULES:
        assert rules.has_perm(None, name) is (name in system)


def test_every_permission_has_a_grid():
    grids = "".join(p.read_text() for p in Path(__file__).parent.glob("test_grid_*.py"))
    missing = [name for name in rules.RULES if f'"{name}"' not in grids]
    assert not missing, f"permissions without a grid test: {missing}"


@pytest.mark.parametrize("role", ["registered", "member", "coordinator", "admin"])
def test_navigation_asks_the_rules(client, role):
    client.force_login(make_user(role))
    page = client.get(reverse("core:home")).content.decode()
    links = {
        "coalition.view_queue": reverse("coalition:queue"),
        "coalition.view_directory": reverse("coalition:directory"),
        "accounts.manage_roles": reverse("accounts:people"),
    }
    for perm, url in links.items():
        allowed = rules.has_perm(make_user(role), perm)
        assert (f'href="{url}"' in page) is allowed, (role, perm)


def test_templates_may_is_has_perm_and_refuses_typos():
    may = rules.May(None)
    assert may["calendar"]["load"] is True  # the command line: a system rule
    assert may["coalition"]["view_queue"] is False
    with pytest.raises(rules.UnknownPermission):
        may["coalition"]["view_qeue"]
