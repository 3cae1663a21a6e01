"""Who may do what with a shadow report.

* **See** a report: its people (lead, drafter, reviewer), members of its organisations, and
  coordinators and administrators.
* **Write** (text, citations, cover, sections): the lead and drafters, while it is a draft.
* **Comment** and resolve comments: anyone with a role on the report, coordinators, admins.
* **Manage people**: the lead (and coordinators/admins, so a report never loses its lead).
* **Sign off** for an organisation: a member of that organisation (`Membership`).
* **Mark final / reopen**: the lead.
* **Start a report**: any signed-in member (site role member or higher).

`access_for` computes everything once per request (two small queries); views, the API and
the services all ask the same object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from uprhub.accounts.models import Membership
from uprhub.accounts.permissions import is_coordinator, is_member

if TYPE_CHECKING:
    from .models import Report


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def sees_every_report(user: Any) -> bool:
    """Coordinators and administrators (superusers count as admins)."""
    return _active(user) and is_coordinator(user)


def can_create_report(user: Any) -> bool:
    return _active(user) and is_member(user)


@dataclass(frozen=True)
class Access:
    """What one person may do on one report."""

    role: str = ""  # lead | drafter | reviewer | ""
    organisation_ids: frozenset[int] = field(default_factory=frozenset)  # report orgs they're in
    staff: bool = False  # coordinator or admin
    is_draft: bool = True
    authenticated: bool = False

    @property
    def can_view(self) -> bool:
        return bool(self.role or self.organisation_ids or self.staff)

    @property
    def can_edit(self) -> bool:
        return self.is_draft and self.role in ("lead", "drafter")

    @property
    def can_comment(self) -> bool:
        return bool(self.role or self.staff)

    @property
    def can_manage(self) -> bool:
        return self.role == "lead" or self.staff

    @property
    def can_finalise(self) -> bool:
        return self.role == "lead"

    def can_sign_off(self, organisation_id: int) -> bool:
        return organisation_id in self.organisation_ids

    @property
    def can_sign_off_any(self) -> bool:
        return bool(self.organisation_ids)


NO_ACCESS = Access()


def access_for(report: Report, user: Any) -> Access:
    """Everything `user` may do on `report` (two queries for a signed-in user, none otherwise)."""
    if not _active(user):
        return NO_ACCESS
    from .models import ReportRole

    role = (
        ReportRole.objects.filter(report=report, user=user).values_list("role", flat=True).first()
    )
    organisation_ids = frozenset(
        Membership.objects.filter(
            user=user, organisation__report_memberships__report=report
        ).values_list("organisation_id", flat=True)
    )
    return Access(
        role=role or "",
        organisation_ids=organisation_ids,
        staff=sees_every_report(user),
        is_draft=report.is_draft,
        authenticated=True,
    )


def check(allowed: bool) -> None:
    """Raise PermissionDenied unless `allowed` (the services' first step)."""
    if not allowed:
        raise PermissionDenied
