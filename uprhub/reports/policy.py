"""Who may do what in shadow reports: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from typing import Any

from uprhub.accounts.permissions import can_edit_organisation
from uprhub.core.roles import is_member
from uprhub.core.rules import Who, rule

from .facts import REPORT_FACTS, REPORT_STATES
from .permissions import access_for


def _report_who(perm: str) -> Who:
    def who(user: Any, obj: Any) -> bool:
        report = getattr(obj, "report", obj)
        return REPORT_FACTS[perm](access_for(report, user), obj)

    return who


rule("reports.create", lambda user, obj: is_member(user), "members, coordinators and admins")


def _may_submit_for(user: Any, organisation: Any) -> bool:
    # Whoever starts a report names its own organisations, even a claim still waiting for a
    # coordinator (they write while it is reviewed), and confirmed ones as partners of a
    # joint submission (whose members sign it off). Someone else's unconfirmed claim is
    # private to its contact person.
    if not is_member(user):
        return False
    return (
        organisation is None
        or organisation.verified_at is not None
        or can_edit_organisation(user, organisation)
    )


rule(
    "reports.submit_for",
    _may_submit_for,
    "members, coordinators and admins: their own organisations (claim pending or not) and "
    "confirmed ones; coordinators and admins any",
)
_REPORT_WHO_TEXT = {
    "reports.view": "its people, members of its organisations, coordinators and admins",
    "reports.edit": "its lead and drafters",
    "reports.comment": "its people (lead, drafters, reviewers), coordinators and admins",
    "reports.manage_people": "its lead, coordinators and admins",
    "reports.finalise": "its lead (mark final and reopen)",
    "reports.sign_off": "members of the signing organisation",
}
for _name in REPORT_FACTS:
    rule(
        _name,
        _report_who(_name),
        _REPORT_WHO_TEXT[_name],
        when=REPORT_STATES.get(_name),
        state="draft" if _name in REPORT_STATES else "",
    )
