"""Who may do what in follow-up (see docs/ARCHITECTURE.md#permissions).

Roles are per round (`RoundRole`): an assessor assesses for one organisation and drafts the
coalition's positions; a reviewer also sends back, publishes and withdraws them. Coordinators
create rounds and give roles; they assess or review only through a role, like anyone. The
public reads published positions, which is no permission: the public pages ask
`Position.objects.published()`.

The object is a round or anything with a ``round`` (a position, an assessment, an
`AssessTarget`). Without one (a view asking "may this person ever?"), a role in any round
counts.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from uprhub.core.roles import is_coordinator
from uprhub.core.rules import rule

from .models import AssessmentRound, PositionStatus, RoundRole, RoundRoleKind


class AssessTarget(NamedTuple):
    """An organisation's assessments in a round (what `followup.assess` is asked about)."""

    round: AssessmentRound
    organisation: Any


def _round(obj: Any) -> AssessmentRound | None:
    if obj is None or isinstance(obj, AssessmentRound):
        return obj
    return getattr(obj, "round", None)


def _has_role(user: Any, obj: Any, *roles: str, organisation: Any = None) -> bool:
    if not getattr(user, "pk", None):
        return False
    found = RoundRole.objects.filter(user=user, role__in=roles)
    round_ = _round(obj)
    if round_ is not None:
        found = found.filter(round=round_)
    if organisation is not None:
        found = found.filter(organisation=organisation)
    return found.exists()


def is_assessor(user: Any, obj: Any) -> bool:
    organisation = getattr(obj, "organisation", None)
    return _has_role(user, obj, RoundRoleKind.ASSESSOR, organisation=organisation)


def is_reviewer(user: Any, obj: Any) -> bool:
    return _has_role(user, obj, RoundRoleKind.REVIEWER)


def takes_part(user: Any, obj: Any) -> bool:
    return _has_role(user, obj, RoundRoleKind.ASSESSOR, RoundRoleKind.REVIEWER)


def _round_open(obj: Any) -> bool:
    round_ = _round(obj)
    return round_ is None or not round_.closed


def _draft_in_open_round(obj: Any) -> bool:
    status = getattr(obj, "status", PositionStatus.DRAFT)
    return _round_open(obj) and status == PositionStatus.DRAFT


def _reviewable(obj: Any) -> bool:
    # A round, or a position a reviewer may change: any state while the round is open.
    return _round_open(obj)


rule(
    "followup.manage_round",
    lambda user, obj: is_coordinator(user),
    "coordinators and admins (and the command line)",
    system=True,
)
rule(
    "followup.view_work",
    lambda user, obj: is_coordinator(user) or takes_part(user, obj),
    "the round's assessors and reviewers, coordinators and admins (and the command line)",
    system=True,
)
rule(
    "followup.assess",
    is_assessor,
    "the round's assessors, for the organisation they assess for",
    when=_round_open,
    state="the round is open",
)
rule(
    "followup.draft_position",
    takes_part,
    "the round's assessors and reviewers",
    when=_draft_in_open_round,
    state="the position is a draft and the round is open",
)
rule(
    "followup.review",
    is_reviewer,
    "the round's reviewers",
    when=_reviewable,
    state="the round is open",
)
rule(
    "followup.decide_evidence",
    takes_part,
    "the round's assessors and reviewers",
    when=_round_open,
    state="the round is open",
)


def may_change_position(user: Any, position: Any) -> bool:
    """Whether `user` may change a position's content (grade, rationale, evidence) in its
    state: anyone taking part on a draft, only reviewers in review, nobody once published."""
    from uprhub.core.rules import has_perm

    if position.status == PositionStatus.IN_REVIEW:
        return has_perm(user, "followup.review", position)
    return has_perm(user, "followup.draft_position", position)
