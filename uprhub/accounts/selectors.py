"""Read-side queries about people and organisations, with who may see what applied."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from uprhub.core.rules import has_perm

from .choices import Role
from .models import Membership, Organisation
from .policy import sees_every_organisation


def display_name(user: Any) -> str:
    """The name people chose to show; never their e-mail address or username."""
    profile = getattr(user, "profile", None)
    name = (profile.full_name if profile is not None else "").strip()
    return name or _("Member without a display name")


def has_admin() -> bool:
    """Whether any active account can administer the site (a superuser or the admin role)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(profile__role=Role.ADMIN))
        .exists()
    )


def organisations_for(user: Any) -> QuerySet[Organisation]:
    """The organisations a person may open: their own; coordinators and admins see all."""
    organisations = Organisation.objects.order_by("name")
    if sees_every_organisation(user):
        return organisations
    return organisations.filter(memberships__user=user).distinct()


def organisation_name_taken(name: str) -> bool:
    """Whether an organisation already has this name (without case, spacing or accents)."""
    return Organisation.objects.named_like(name).exists()


def organisation_or_404(pk: int) -> Organisation:
    """The organisation, whoever asks; Http404 if there is none (callers check who may see it)."""
    return get_object_or_404(Organisation, pk=pk)


def memberships_of(user: Any) -> QuerySet[Membership]:
    """A person's memberships, with their organisations, for their profile page."""
    return Membership.objects.filter(user=user).select_related("organisation")


def active_people(role: str | None = None) -> QuerySet[Any]:
    """Active accounts by e-mail address, for the admins' roles page; only `role` if it is
    one of the roles (anything else lists everyone)."""
    users = (
        get_user_model().objects.filter(is_active=True).select_related("profile").order_by("email")
    )
    if role in Role.values:
        users = users.filter(profile__role=role)
    return users


def user_or_404(pk: int) -> Any:
    """Any account, active or not; Http404 if there is none."""
    return get_object_or_404(get_user_model(), pk=pk)


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
