"""Site roles (member < coordinator < admin) and the predicates about them.

The lowest floor every feature may ask "is this person a coordinator?" from: the permission
rules of every app (`<app>/policy.py`) are built on these. The role itself is stored on the
person's profile (`uprhub.accounts`); this module only reads `user.profile.role`, so it needs
no model. Superusers count as admins.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person may do on UPR Hub. Each role includes the ones before it."""

    NONE = "", _("Registered (no role yet)")
    MEMBER = "member", _("Member")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


ROLE_RANK: dict[str, int] = {Role.NONE: 0, Role.MEMBER: 1, Role.COORDINATOR: 2, Role.ADMIN: 3}


def role_of(user: Any) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.NONE
    if user.is_superuser:
        return Role.ADMIN
    profile = getattr(user, "profile", None)  # RelatedObjectDoesNotExist is an AttributeError
    return profile.role if profile is not None else Role.NONE


def has_role(user: Any, role: str) -> bool:
    """True when the user's role is `role` or a higher one."""
    if not getattr(user, "is_authenticated", False):
        return False
    return ROLE_RANK[role_of(user)] >= ROLE_RANK[role]


def is_member(user: Any) -> bool:
    return has_role(user, Role.MEMBER)


def is_coordinator(user: Any) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_admin(user: Any) -> bool:
    return has_role(user, Role.ADMIN)
