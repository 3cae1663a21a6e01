"""The facts about one person and one shadow report that its permissions are judged on.

The rules themselves (who may see, write, comment, manage people, sign off, mark final, and
in which state) are in `facts.py` and registered by `policy.py` in the one vocabulary of
`uprhub.core.rules`:
``has_perm(user, "reports.edit", report)``. `access_for` gathers the facts once per request
(two small queries) so a page can ask many questions (`Access.can_edit` …) for free; the
answers come from the same rules the services enforce with `require_perm`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from uprhub.accounts.models import Membership
from uprhub.core.rules import has_perm

from .facts import report_allows, sees_every_report
from .models import Report, ReportRole

__all__ = ["NO_ACCESS", "Access", "access_for", "can_create_report", "sees_every_report"]


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_create_report(user: Any) -> bool:
    return has_perm(user, "reports.create")


@dataclass(frozen=True)
class Access:
    """What one person may do on one report."""

    role: str = ""  # lead | drafter | reviewer | ""
    organisation_ids: frozenset[int] = field(default_factory=frozenset)  # report orgs they're in
    staff: bool = False  # coordinator or admin
    is_draft: bool = True
    authenticated: bool = False

    def allows(self, perm: str, obj: Any = None) -> bool:
        return report_allows(perm, self, obj, is_draft=self.is_draft)

    @property
    def can_view(self) -> bool:
        return self.allows("reports.view")

    @property
    def can_edit(self) -> bool:
        return self.allows("reports.edit")

    @property
    def can_comment(self) -> bool:
        return self.allows("reports.comment")

    @property
    def can_manage(self) -> bool:
        return self.allows("reports.manage_people")

    @property
    def can_finalise(self) -> bool:
        return self.allows("reports.finalise")

    def can_sign_off(self, organisation_id: int) -> bool:
        """Sign for this organisation now (a member of it, while the report is a draft)."""
        return self.allows("reports.sign_off", _Organisation(organisation_id))

    @property
    def can_sign_off_any(self) -> bool:
        """Signs for one of the report's organisations, in any state (the sign-off page's
        gate: the service then says why a final report cannot be signed)."""
        return any(
            report_allows("reports.sign_off", self, _Organisation(pk), is_draft=True)
            for pk in self.organisation_ids
        )


class _Organisation(NamedTuple):
    organisation_id: int


NO_ACCESS = Access()


def access_for(report: Report, user: Any) -> Access:
    """Everything `user` may do on `report` (two queries for a signed-in user, none otherwise)."""
    if not _active(user):
        return NO_ACCESS
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
