"""Who may do what in accounts and organisations: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from typing import Any, NamedTuple

from uprhub.core.roles import Role, is_admin, is_coordinator
from uprhub.core.roles import role_of as site_role_of
from uprhub.core.rules import anyone, rule, signed_in

from .permissions import (
    can_edit_organisation,
    can_manage_organisation_members,
    can_review_organisation_claims,
    can_view_organisation,
    sees_unlisted_members,
)


class RoleGrant(NamedTuple):
    """The object of "accounts.set_role": whose role becomes what."""

    user: Any
    role: str


def _may_set_role(user: Any, grant: RoleGrant | None) -> bool:
    if is_admin(user) or user.has_perm("accounts.set_role"):
        return True
    # Approving a taskforce application makes the person a member: coordinators may give the
    # member role to someone without one, and nothing else.
    return bool(
        is_coordinator(user)
        and grant is not None
        and grant.role == Role.MEMBER
        and site_role_of(grant.user) == Role.NONE
    )


rule(
    "accounts.set_role",
    _may_set_role,
    "admins; coordinators only to make someone without a role a member",
    system=True,
)
rule(
    "accounts.edit_profile",
    lambda user, person: person is None or person.pk == user.pk or is_admin(user),
    "the person themself; admins",
    system=True,
)
rule("accounts.create_organisation", anyone, "any signed-in account")
rule(
    "accounts.edit_organisation",
    lambda user, organisation: organisation is None or can_edit_organisation(user, organisation),
    "people in the organisation; coordinators and admins",
    system=True,
)
rule(
    "accounts.manage_roles",
    lambda user, obj: is_admin(user),
    "admins (the people page and its role form; each change is then `accounts.set_role`)",
)


def sees_every_organisation(user: Any) -> bool:
    """Coordinators and admins open every organisation (they review claims); the others
    only their own. The organisation list (`accounts.selectors.organisations_for`) uses it."""
    return signed_in(user) and is_coordinator(user)


rule(
    "accounts.view_organisation",
    # Without an organisation: the list of one's own organisations, open to every account.
    lambda user, organisation: organisation is None or can_view_organisation(user, organisation),
    "its members, coordinators and admins (anyone else gets a 404, not a 403)",
)
rule(
    "accounts.manage_members",
    # The confirmed claim is part of *who*, not a state: until a coordinator confirms it the
    # contact person is nobody special, while an admin may add people in any state.
    lambda user, organisation: (
        is_admin(user)
        if organisation is None
        else can_manage_organisation_members(user, organisation)
    ),
    "its contact person once its claim is confirmed; admins",
)
rule(
    "accounts.review_claim",
    lambda user, organisation: can_review_organisation_claims(user),
    "coordinators and admins",
    when=lambda organisation: organisation.verified_at is None,
    state="pending claim (not yet confirmed)",
)
rule(
    "accounts.see_unlisted_members",
    lambda user, organisation: (
        organisation is not None and sees_unlisted_members(user, organisation)
    ),
    "its contact person (once confirmed), coordinators and admins",
)
