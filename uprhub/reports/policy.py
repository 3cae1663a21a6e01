"""Who may do what in shadow reports: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from typing import Any

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
