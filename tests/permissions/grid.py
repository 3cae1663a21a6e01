"""The permission grid: role × permission × object state → allowed, refused, or refused for
the state.

Every cell is checked twice, through `has_perm` (what pages show) and by calling the write
service directly with that actor (what is enforced, even when a view or command forgot to
check), and the database is compared before and after, so a refusal is known to write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests.accounts.factories import make_user
from uprhub.core.rules import has_perm

#: "system" is the command line (actor None); "registered" is signed up with no role.
ROLES = ["system", "anonymous", "registered", "member", "coordinator", "admin"]

ALLOW = "allow"
DENY = "deny"  # PermissionDenied
STATE = "state"  # the person may, but not in this state: the service's own error


def actor(role: str, **kwargs: Any) -> Any:
    """The actor for a role name of `ROLES` (re-read, so its cached profile has the role)."""
    if role == "system":
        return None
    if role == "anonymous":
        return AnonymousUser()
    user = make_user(role, **kwargs)
    return get_user_model().objects.select_related("profile").get(pk=user.pk)


def row(allowed: set[str] | str, refused_for_state: bool = False) -> dict[str, str]:
    """Expected outcome per role: those in `allowed` may (or meet the state error when
    `refused_for_state`), everyone else is denied."""
    allowed = set(ROLES) if allowed == "all" else set(allowed)
    yes = STATE if refused_for_state else ALLOW
    return {role: (yes if role in allowed else DENY) for role in ROLES}


def check_cell(
    *,
    who: Any,
    perm: str,
    obj: Any,
    expected: str,
    call: Callable[[], Any],
    snapshot: Callable[[], Any],
    state_error: type[Exception] | None = None,
    allow_no_change: bool = False,
) -> Any:
    """Assert one cell: `has_perm` answers, the service allows or refuses, refusals write
    nothing and allowed calls change `snapshot()`."""
    assert has_perm(who, perm, obj) is (expected == ALLOW), (perm, expected)
    before = snapshot()
    if expected == ALLOW:
        result = call()
        if not allow_no_change:
            assert snapshot() != before, f"{perm}: allowed, but nothing was written"
        return result
    if expected == DENY:
        with pytest.raises(PermissionDenied):
            call()
    else:
        assert state_error is not None
        with pytest.raises(state_error) as raised:
            call()
        assert not isinstance(raised.value, PermissionDenied) or state_error is PermissionDenied
    assert snapshot() == before, f"{perm}: refused ({expected}), but something was written"
    return None
