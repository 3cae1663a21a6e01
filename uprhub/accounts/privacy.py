"""A person's own data: download all of it, or delete the account.

``personal_data(user)`` gathers everything UPR Hub stores about one account as plain JSON-ready
data: here the account, profile, organisations, role changes and organisation events; then one
section per feature that stores personal data (taskforce application and membership, list
subscriptions and reminders, what they wrote in shadow reports), in the order of ``order``.

``delete_account(user, password=…)`` removes the account and the personal data attached to it.
What the person wrote in shared shadow reports (paragraph text, revisions, comments) belongs to
the coalition's work and is kept, with the author anonymised: every author column is
``SET_NULL``, so the rows stay and show "deleted account". Governance records of acts *by*
the person (an application decision, a role change they made) keep the name they were taken
under (``actor_label``), because the coalition must be able to say who decided.

Features above ``accounts`` take part through ``register_section(...)``, called from their
``AppConfig.ready()`` (accounts sits below them and imports none of them):

- ``key``: the section's key in the download;
- ``collect(user)``: the section's JSON-ready data;
- ``erase(user)`` (optional): delete what the account row's ``CASCADE``/``SET_NULL`` does not
  cover (rows found by e-mail address, say); runs inside the deletion's transaction, before the
  account row is deleted, and returns counts of what it removed;
- ``blockers(user)`` (optional): what must be resolved before the account may go (the only lead
  of a shared report, say), as ``Blocker`` values shown on the "Your data" page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership, OrganisationEvent, RoleChange

FORMAT_VERSION = 1


def when(value: datetime | None) -> str | None:
    """A moment as it appears in the download (ISO 8601), or None."""
    return value.isoformat() if value else None


# ---------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class BlockingItem:
    label: str
    url: str


@dataclass(frozen=True)
class Blocker:
    """Something the person must resolve before their account can be deleted."""

    warning: str  # above the list of items on the "Your data" page
    error: str  # why the deletion was refused
    items: Sequence[BlockingItem]


@dataclass(frozen=True)
class Section:
    key: str
    collect: Callable[[Any], Any]
    erase: Callable[[Any], Mapping[str, int]] | None = None
    blockers: Callable[[Any], Sequence[Blocker]] | None = None
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(
    key: str,
    collect: Callable[[Any], Any],
    *,
    erase: Callable[[Any], Mapping[str, int]] | None = None,
    blockers: Callable[[Any], Sequence[Blocker]] | None = None,
    order: int = 100,
) -> None:
    """Add (or replace) a feature's part of the download and of account deletion.

    ``order`` places the section in the download (lowest first; ties by key), so the file's
    layout does not depend on the order the apps are installed in.
    """
    _sections[key] = Section(key, collect, erase=erase, blockers=blockers, order=order)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


# ---------------------------------------------------------------------------- download


def personal_data(user: Any) -> dict[str, Any]:
    """Everything stored about ``user``, as JSON-ready data (their own download)."""
    profile = getattr(user, "profile", None)
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
            "is_active": user.is_active,
        },
    }
    if profile is not None:
        data["profile"] = {
            "name": profile.full_name,
            "organisation_name": profile.organisation_name,
            "city": profile.city,
            "us_state": profile.us_state,
            "country": profile.country,
            "languages": profile.languages,
            "experience": profile.experience,
            "role": profile.role,
            "focus_themes": sorted(t.name for t in profile.themes.all()),
            "email_verified_at": when(profile.email_verified_at),
            "created_at": when(profile.created_at),
            "updated_at": when(profile.updated_at),
        }
    data["organisations"] = [
        {
            "organisation": m.organisation.name,
            "role_in_organisation": m.role_in_org,
            "joined_at": when(m.joined_at),
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]
    data["role_changes"] = [
        {
            "old_role": change.old_role,
            "new_role": change.new_role,
            "changed_by": change.actor_label,
            "reason": change.reason,
            "when": when(change.created_at),
        }
        for change in RoleChange.objects.filter(user=user).order_by("created_at")
    ]
    data["organisation_events"] = [
        {
            "organisation": event.organisation_label,
            "action": event.action,
            "by": event.actor_label,
            "note": event.note,
            "when": when(event.created_at),
        }
        for event in OrganisationEvent.objects.filter(user=user).order_by("created_at", "pk")
    ]
    for section in sections():
        data[section.key] = section.collect(user)
    return data


# ---------------------------------------------------------------------------- deletion


@dataclass
class Deletion:
    """What deleting the account removed (for the confirmation and the tests)."""

    sections: dict[str, Mapping[str, int]] = field(default_factory=dict)
    sessions: int = 0


def blockers(user: Any) -> list[Blocker]:
    """What must be resolved before the account can be deleted (empty: nothing)."""
    found: list[Blocker] = []
    for section in sections():
        if section.blockers is not None:
            found.extend(blocker for blocker in section.blockers(user) if blocker.items)
    return found


@transaction.atomic
def delete_account(user: Any, *, password: str) -> Deletion:
    """Delete ``user``'s account and personal data; keep their report text, anonymised.

    The password is checked here, not only in the form: no caller can delete an account
    without the person's own confirmation.
    """
    if not user.is_authenticated or not user.check_password(password):
        raise PermissionDenied(_("The password is not correct."))
    blocking = blockers(user)
    if blocking:
        raise ValidationError([blocker.error for blocker in blocking])
    result = Deletion()
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    for section in sections():
        if section.erase is not None:
            result.sections[section.key] = section.erase(user)
    result.sessions = _delete_sessions_of(user)
    # Audit rows about the person (added to an organisation, their claim decided) stay for the
    # organisation's record, without the address their label was written with.
    OrganisationEvent.objects.filter(user=user).update(
        user_label=_("deleted account #%(id)s") % {"id": user.pk}
    )
    # Profile, memberships, roles on reports, role changes about them: CASCADE. Authored
    # paragraphs, revisions, comments, labels, posts: SET_NULL (kept, anonymised).
    user.delete()
    return result


def _delete_sessions_of(user: Any) -> int:
    """Log the person out everywhere (database sessions carry the user id)."""
    ids = []
    now = timezone.now()
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ids.append(session.pk)
    return Session.objects.filter(pk__in=ids).delete()[0]
