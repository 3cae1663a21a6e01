"""The predicates about people and organisations (roles themselves: `uprhub.core.roles`).

These are the building blocks of the permission rules in `accounts/policy.py` and the other
apps' policy modules (checked through `uprhub.core.rules`); views,
services, selectors and templates ask those rules (`has_perm`, `require_perm`,
`perm_required`), not these functions, whether someone may do something. Superusers count
as admins.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# The site roles are the core's (every app's rules use them); re-exported for this app's callers.
from uprhub.core.roles import (  # noqa: F401
    has_role,
    is_admin,
    is_coordinator,
    is_member,
    role_of,
)


def can_edit_organisation(user: Any, organisation: Any) -> bool:
    """People in the organisation, and coordinators, keep its details up to date."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_coordinator(user):
        return True
    return organisation.memberships.filter(user=user).exists()


# ---------------------------------------------------------------- organisations
# Organisation pages and member lists are for the organisation's own members. Coordinators
# (and admins) see every organisation too: they confirm organisation claims and already
# keep organisations' details up to date (`can_edit_organisation`).


def _membership(user: Any, organisation: Any) -> Any | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return organisation.memberships.filter(user=user).first()


def can_view_organisation(user: Any, organisation: Any) -> bool:
    """Its members, coordinators and admins; for anyone else it does not exist (404)."""
    if is_coordinator(user):
        return True
    return _membership(user, organisation) is not None


def can_manage_organisation_members(user: Any, organisation: Any) -> bool:
    """Who may add people to an organisation: its contact person, once the organisation's
    claim is confirmed, and admins. Never a coordinator as such, never a typed name."""
    if is_admin(user):
        return True
    membership = _membership(user, organisation)
    return (
        membership is not None
        and membership.role_in_org == "contact"
        and organisation.verified_at is not None
    )


def can_review_organisation_claims(user: Any) -> bool:
    """Confirm (or reject) that a new organisation's creator may speak for it."""
    return is_coordinator(user)


def sees_unlisted_members(user: Any, organisation: Any) -> bool:
    """Members who chose not to be listed are still seen by whoever manages the members
    (and by coordinators reviewing the organisation), not by the other members."""
    return is_coordinator(user) or can_manage_organisation_members(user, organisation)


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: any signed-in account, whatever its role (anonymous visitors go to the
    login page). Not a permission: pages for some people only use
    `uprhub.core.rules.perm_required`."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
