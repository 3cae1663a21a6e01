"""The rules module itself: unknown names, the command-line actor, inactive accounts, and
every permission having a grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

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
    }
    for name in rules.RULES:
        assert rules.has_perm(None, name) is (name in system)


def test_every_permission_has_a_grid():
    grids = "".join(p.read_text() for p in Path(__file__).parent.glob("test_grid_*.py"))
    missing = [name for name in rules.RULES if f'"{name}"' not in grids]
    assert not missing, f"permissions without a grid test: {missing}"
