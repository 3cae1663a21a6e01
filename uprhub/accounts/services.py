"""Every write about people, organisations and roles goes through here.

Views, the admin and the taskforce's approval call these functions, so an account is
created, verified or promoted the same way everywhere.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.core.mail import absolute_url, schedule_mail
from uprhub.core.rules import has_perm, require_perm
from uprhub.recommendations.models import Theme

from . import tokens
from .choices import Role
from .models import (
    Membership,
    Organisation,
    OrganisationAction,
    OrganisationEvent,
    OrganisationRole,
    Profile,
    RoleChange,
)
from .policy import RoleGrant

log = logging.getLogger(__name__)

# Groups mirror roles so Django's model permissions (admin site, `user.has_perm`) follow them.
GROUP_FOR_ROLE: dict[str, str] = {
    Role.MEMBER: "Members",
    Role.COORDINATOR: "Coordinators",
    Role.ADMIN: "Admins",
}
COORDINATOR_PERMISSIONS = [
    ("coalition", "review_application"),
    ("coalition", "view_taskforceapplication"),
    ("coalition", "view_applicationdecision"),
    ("coalition", "view_taskforcemember"),
    ("coalition", "view_workinggroup"),
    # The review calendar is another app; its permission exists once that app has migrated.
    ("uprcalendar", "change_deadline"),
    ("uprcalendar", "view_deadline"),
]
# Admins also manage everything in these apps from the admin site.
ADMIN_APPS = ["accounts", "coalition"]


class VerificationError(Exception):
    """The verification link is invalid, expired or for another address."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> Any | None:
    return (
        get_user_model().objects.filter(email__iexact=normalise_email(email)).order_by("pk").first()
    )


def profile_for(user: Any) -> Profile:
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"full_name": user.get_full_name() or user.get_username()}
    )
    return profile


def _new_username(email: str) -> str:
    # The e-mail address doubles as the username (it is what people log in with); very
    # long addresses or leftovers from hand-made accounts get a unique stand-in.
    User = get_user_model()
    if len(email) <= 150 and not User.objects.filter(username__iexact=email).exists():
        return email
    return f"user-{uuid.uuid4().hex[:12]}"


def create_account(*, email: str, full_name: str, password: str | None, active: bool) -> Any:
    """A user plus profile. `password=None` leaves it unusable until set through a link."""
    email = normalise_email(email)
    user = get_user_model().objects.create_user(
        username=_new_username(email), email=email, password=password, is_active=active
    )
    Profile.objects.create(user=user, full_name=full_name)
    return user


@transaction.atomic
def sign_up(*, email: str, full_name: str, password: str) -> Any | None:
    """Create an inactive account and e-mail a verification link.

    The page shown afterwards is the same whatever happened (no enumeration):
    - a new address gets an account and a verification link;
    - an address whose account was never confirmed gets the new name and password and a
      fresh link (earlier links stop working, see tokens.py);
    - an address with a confirmed account is only told by e-mail, and nothing changes.
    """
    existing = find_user_by_email(email)
    if existing is None:
        user = create_account(email=email, full_name=full_name, password=password, active=False)
    elif not existing.is_active and profile_for(existing).email_verified_at is None:
        user = existing
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(full_name=full_name)
    else:
        schedule_mail(
            existing.email,
            "signup_existing",
            {
                "login_url": absolute_url(reverse("accounts:login")),
                "reset_url": absolute_url(reverse("accounts:password_reset")),
            },
        )
        return None
    schedule_mail(
        user.email,
        "verify_email",
        {"name": full_name, "verify_url": tokens.email_verification_url(user)},
    )
    return user


def check_verification_token(token: str) -> Any:
    """The account a verification link is for, changing nothing (the page with the button).

    Raises VerificationError for an invalid, expired or already used link.
    """
    User = get_user_model()
    try:
        return tokens.check_email_verification_token(
            token, lambda pk: User.objects.select_related("profile").filter(pk=pk).first()
        )
    except signing.BadSignature as error:
        raise VerificationError from error


@transaction.atomic
def verify_email(token: str) -> Any:
    """Activate the account a verification link was made for.

    Only an account whose address has never been verified is activated: replaying an old
    link cannot re-activate an account an administrator has since switched off.
    """
    User = get_user_model()
    try:
        user = tokens.check_email_verification_token(
            token, lambda pk: User.objects.select_for_update().filter(pk=pk).first()
        )
    except signing.BadSignature as error:
        raise VerificationError from error
    profile = profile_for(user)
    if profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at", "updated_at"])
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def mark_email_verified(user: Any) -> None:
    """Following a link we e-mailed (password reset, invitation) proves the address too."""
    profile = profile_for(user)
    if profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at", "updated_at"])


@transaction.atomic
def update_profile(
    user: Any, *, actor: Any, themes: Iterable[Theme] | None = None, **fields: Any
) -> Profile:
    """Save profile fields (name, organisation, place, languages, experience, themes).

    The role is not among them: it changes only through `set_role`, which is audited.
    """
    require_perm(actor, "accounts.edit_profile", user)
    fields.pop("role", None)
    profile = profile_for(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    profile.save()
    if themes is not None:
        profile.themes.set(themes)
    return profile


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups and give them their permissions; safe to run any time.

    Permissions of apps that are not installed or not yet migrated are skipped.
    """
    groups = {
        role: Group.objects.get_or_create(name=name)[0] for role, name in GROUP_FOR_ROLE.items()
    }
    coordinator_perms = _permissions(COORDINATOR_PERMISSIONS)
    admin_perms = coordinator_perms | set(
        Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
    )
    groups[Role.COORDINATOR].permissions.add(*coordinator_perms)
    groups[Role.ADMIN].permissions.add(*admin_perms)
    return groups


def _permissions(pairs: list[tuple[str, str]]) -> set[Permission]:
    found: set[Permission] = set()
    for app_label, codename in pairs:
        found.update(
            Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    return found


def ensure_role_groups_after_migrate(**kwargs: Any) -> None:
    """post_migrate receiver. Runs after every app so late-migrating apps' permissions count."""
    try:
        ensure_role_groups()
    except Exception:  # a half-migrated database (e.g. auth tables missing) is not our business
        log.debug("Role groups not ensured yet", exc_info=True)


@transaction.atomic
def set_role(user: Any, role: str, *, actor: Any | None, reason: str = "") -> RoleChange | None:
    """Give `user` a role, keep its group and staff flag in step, and audit the change."""
    require_perm(actor, "accounts.set_role", RoleGrant(user, role))
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    profile = Profile.objects.select_for_update().filter(user=user).first() or profile_for(user)
    user.profile = profile  # a profile cached on `user` would keep the old role for checks
    old_role = profile.role
    groups = ensure_role_groups()
    user.groups.remove(*groups.values())
    if role:
        user.groups.add(groups[role])
    # Admins use the admin site; nobody else needs it (superusers keep their access).
    if not user.is_superuser and user.is_staff != (role == Role.ADMIN):
        user.is_staff = role == Role.ADMIN
        user.save(update_fields=["is_staff"])
    if old_role == role:
        return None
    profile.role = role
    profile.save(update_fields=["role", "updated_at"])
    return RoleChange.objects.create(
        user=user,
        old_role=old_role,
        new_role=role,
        actor=actor,
        actor_label=_label(actor),
        reason=reason[:255],
    )


def _label(actor: Any | None) -> str:
    if actor is None:
        return "system"
    return f"{actor.get_username()} (#{actor.pk})"


def _record(
    organisation: Organisation,
    action: str,
    *,
    actor: Any | None,
    user: Any | None = None,
    note: str = "",
) -> OrganisationEvent:
    return OrganisationEvent.objects.create(
        organisation=organisation,
        organisation_label=str(organisation)[:255],
        action=action,
        user=user,
        user_label=_label(user) if user is not None else "",
        actor=actor,
        actor_label=_label(actor),
        note=note[:255],
    )


class OrganisationPermissionDenied(PermissionDenied):
    """The actor may not do this to this organisation (the *who* half of its rule)."""


class ClaimAlreadyConfirmed(Exception):
    """The organisation's claim was confirmed already: nothing left to confirm or reject."""


@transaction.atomic
def create_organisation(
    *, actor: Any, contact: Any | None = None, note: str = "", **fields: Any
) -> Organisation:
    """Register an organisation with `contact` (default: the actor) as its contact person.

    It is a claim until a coordinator confirms it (`confirm_organisation_claim`); only then
    may the contact add members. Coordinators and admins registering one need no review.
    A name equal to an existing organisation's (without case, spacing or accents) is refused.
    """
    contact = contact or actor
    require_perm(actor, "accounts.create_organisation")
    organisation = Organisation(created_by=actor, **fields)
    if has_perm(actor, "accounts.review_claim") and contact == actor:
        organisation.verified_at = timezone.now()
        organisation.verified_by = actor
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        user=contact, organisation=organisation, role_in_org=OrganisationRole.CONTACT
    )
    _record(organisation, OrganisationAction.CREATED, actor=actor, user=contact, note=note)
    if organisation.verified_at:
        _record(organisation, OrganisationAction.CLAIM_CONFIRMED, actor=actor, user=contact)
    return organisation


def _pending_claim_for_review(organisation: Organisation, actor: Any) -> Organisation:
    """The organisation, locked, once `actor` may review claims and this one is still pending.

    Who first (no row is read for someone who may not review), then the state on the locked
    row, so two coordinators cannot both decide the same claim.
    """
    require_perm(actor, "accounts.review_claim", denied=OrganisationPermissionDenied)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    require_perm(
        actor,
        "accounts.review_claim",
        organisation,
        state_error=ClaimAlreadyConfirmed(_("This organisation's claim was already confirmed.")),
        denied=OrganisationPermissionDenied,
    )
    return organisation


@transaction.atomic
def confirm_organisation_claim(organisation: Organisation, *, actor: Any) -> Organisation:
    """The organisation is real and its contact may speak for it; audited."""
    organisation = _pending_claim_for_review(organisation, actor)
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.save(update_fields=["verified_at", "verified_by", "updated_at"])
    contact = organisation.memberships.filter(role_in_org=OrganisationRole.CONTACT).first()
    _record(
        organisation,
        OrganisationAction.CLAIM_CONFIRMED,
        actor=actor,
        user=contact.user if contact else None,
    )
    return organisation


@transaction.atomic
def reject_organisation_claim(organisation: Organisation, *, actor: Any, note: str = "") -> None:
    """A claim that does not hold: the organisation and its memberships go; the audit stays."""
    organisation = _pending_claim_for_review(organisation, actor)
    contact = organisation.memberships.filter(role_in_org=OrganisationRole.CONTACT).first()
    _record(
        organisation,
        OrganisationAction.CLAIM_REJECTED,
        actor=actor,
        user=contact.user if contact else None,
        note=note,
    )
    organisation.delete()


@transaction.atomic
def update_organisation(organisation: Organisation, *, actor: Any, **fields: Any) -> Organisation:
    require_perm(actor, "accounts.edit_organisation", organisation)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def add_member(
    organisation: Organisation,
    user: Any,
    *,
    actor: Any,
    role_in_org: str = OrganisationRole.MEMBER,
) -> Membership:
    """Add someone to an organisation: an explicit act of its contact person (or an admin),
    audited. Nothing else adds people to organisations."""
    require_perm(
        actor, "accounts.manage_members", organisation, denied=OrganisationPermissionDenied
    )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role_in_org": role_in_org}
    )
    if created:
        _record(organisation, OrganisationAction.MEMBER_ADDED, actor=actor, user=user)
    return membership
