"""Follow-up's part of a person's data download and account deletion.

Registered with `uprhub.accounts.privacy` in `FollowupConfig.ready()`: roles in assessment
rounds, assessments made, the coalition's positions drafted or published, and the history
entries written. On deletion the roles go with the account row (``CASCADE``); what the person
wrote stays as the organisation's or the coalition's record, anonymised: the foreign keys are
``SET_NULL`` and the history's copy of their name is blanked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from uprhub.accounts.privacy import register_section, when

from .models import Assessment, PositionRevision, RoundRole


def collect(user: Any) -> dict[str, Any]:
    return {
        "roles": [
            {
                "round": r.round.name,
                "role": r.role,
                "organisation": r.organisation.name if r.organisation else "",
                "since": when(r.added_at),
            }
            for r in RoundRole.objects.filter(user=user).select_related("round", "organisation")
        ],
        "assessments": [
            {
                "round": a.round.name,
                "recommendation": a.recommendation.paragraph,
                "organisation": a.organisation.name,
                "grade": a.grade.code,
                "rationale": a.rationale,
                "saved_at": when(a.updated_at),
            }
            for a in Assessment.objects.filter(assessed_by=user)
            .select_related("round", "recommendation", "organisation", "grade")
            .order_by("pk")
        ],
        "position_history": [
            {
                "round": r.position.round.name,
                "recommendation": r.position.recommendation.paragraph,
                "version": r.version,
                "status": r.status,
                "grade": r.grade.code,
                "rationale": r.rationale,
                "note": r.note,
                "saved_at": when(r.created_at),
            }
            for r in PositionRevision.objects.filter(author=user)
            .select_related("position__round", "position__recommendation", "grade")
            .order_by("pk")
        ],
    }


def erase(user: Any) -> Mapping[str, int]:
    named = PositionRevision.objects.filter(author=user).update(author_label="")
    return {"position_history_anonymised": named}


def register() -> None:
    register_section("followup", collect, erase=erase, order=35)
