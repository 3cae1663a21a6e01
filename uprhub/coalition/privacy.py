"""The taskforce's part of a person's data download and account deletion.

Registered with `uprhub.accounts.privacy` in `CoalitionConfig.ready()`: the applications sent
with the account or its address (with the decisions on them) and the membership; deleting the
account deletes the applications (the membership goes with the account row).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from uprhub.accounts.privacy import register_section, when

from .models import TaskforceApplication


def _applications(user: Any):
    return TaskforceApplication.objects.filter(Q(user=user) | Q(email_key=user.email.lower()))


def collect(user: Any) -> dict[str, Any]:
    applications = _applications(user).prefetch_related("themes", "decisions")
    membership = getattr(user, "taskforce_membership", None)
    return {
        "applications": [
            {
                "name": a.name,
                "email": a.email,
                "organisation": a.organisation_name,
                "role_in_organisation": a.role_title,
                "city": a.city,
                "us_state": a.us_state,
                "country": a.country,
                "languages": a.languages,
                "experience": a.experience,
                "focus_themes": sorted(t.name for t in a.themes.all()),
                "motivation": a.motivation,
                "status": a.status,
                "times_submitted": a.submission_count,
                "earlier_answers": a.previous_answers,
                "first_submitted": when(a.submitted_at),
                "last_submitted": when(a.last_submitted_at),
                "decisions": [
                    {
                        "decision": d.decision,
                        "message_sent": d.message,
                        "decided_by": d.actor_label,
                        "when": when(d.created_at),
                    }
                    for d in a.decisions.all()
                ],
            }
            for a in applications
        ],
        "member_since": when(getattr(membership, "joined_at", None)) if membership else None,
        "working_groups": sorted(g.name for g in membership.working_groups.all())
        if membership
        else [],
    }


def erase(user: Any) -> Mapping[str, int]:
    applications, _detail = _applications(user).delete()
    return {"applications": applications}


def register() -> None:
    register_section("taskforce", collect, erase=erase, order=10)
