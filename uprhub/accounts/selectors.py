"""Read-side queries about people and organisations, with who may see what applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from uprhub.core.rules import has_perm, sees_every_organisation

from .models import Membership, Organisation


def display_name(user: Any) -> str:
    """The name people chose to show; never their e-mail address or username."""
    profile = getattr(user, "profile", None)
    name = (profile.full_name if profile is not None else "").strip()
    return name or _("Member without a display name")


def organisations_for(user: Any) -> QuerySet[Organisation]:
    """The organisations a person may open: their own; coordinators and admins see all."""
    organisations = Organisation.objects.order_by("name")
    if sees_every_organisation(user):
        return organisations
    return organisations.filter(memberships__user=user).distinct()


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    name: str
    listed: bool


def visible_members(organisation: Organisation, viewer: Any) -> list[MemberRow]:
    """The organisation's members `viewer` may see: everyone listed in the directory and the
    viewer; the contact person, coordinators and admins also see members who chose not to
    be listed (marked as such), since they manage the membership."""
    sees_all = has_perm(viewer, "accounts.see_unlisted_members", organisation)
    rows = []
    memberships = organisation.memberships.select_related("user__profile").order_by("joined_at")
    for membership in memberships:
        profile = getattr(membership.user, "profile", None)
        listed = bool(profile and profile.listed_in_directory)
        if listed or sees_all or membership.user_id == viewer.pk:
            rows.append(MemberRow(membership, display_name(membership.user), listed))
    return rows
