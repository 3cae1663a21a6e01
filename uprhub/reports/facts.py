"""The facts-based half of the report rules: who may do what on one report, judged on facts
already gathered (`reports.permissions.Access`), so a page asks many questions without a query
each. The rules are registered by `policy.py`; the report lists (`Report.objects.visible_to`)
use `sees_every_report`. No model import here: models, permissions and policy all build on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from uprhub.core.roles import is_coordinator
from uprhub.core.rules import When, signed_in

# Judged on the person's facts about one report (`reports.permissions.Access`: their role on
# it, their organisations among its submitters, staff or not), so a page computes them once
# and asks many questions (`Access.can_edit` …) without a query each.

FactRule = Callable[[Any, Any], bool]  # (Access, object) -> allowed


def sees_every_report(user: Any) -> bool:
    """Coordinators and admins ("staff" in `Access`) see every report; the report lists
    (`Report.objects.visible_to`) use this too."""
    return signed_in(user) and is_coordinator(user)


WRITERS = ("lead", "drafter")


def _is_draft(report_or_part: Any) -> bool:
    report = getattr(report_or_part, "report", report_or_part)
    return bool(report.is_draft)


REPORT_FACTS: dict[str, FactRule] = {
    "reports.view": lambda a, obj: bool(a.role or a.organisation_ids or a.staff),
    "reports.edit": lambda a, obj: a.role in WRITERS,
    "reports.comment": lambda a, obj: bool(a.role or a.staff),
    "reports.manage_people": lambda a, obj: a.role == "lead" or a.staff,
    # Marking final and reopening: the lead's decision, in either state.
    "reports.finalise": lambda a, obj: a.role == "lead",
    # `obj` names the organisation: a ReportOrganisation row (or anything with an
    # `organisation_id`); only its members sign for it.
    "reports.sign_off": lambda a, obj: getattr(obj, "organisation_id", None) in a.organisation_ids,
}
REPORT_STATES: dict[str, When] = {"reports.edit": _is_draft, "reports.sign_off": _is_draft}


def report_allows(perm: str, access: Any, obj: Any = None, *, is_draft: bool = True) -> bool:
    """The rule for `perm` on facts already computed (`Access`); no query."""
    if not access.authenticated or not REPORT_FACTS[perm](access, obj):
        return False
    return perm not in REPORT_STATES or is_draft
