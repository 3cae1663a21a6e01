"""Who may do what in consultations (see docs/ARCHITECTURE.md#permissions).

Giving, reading, changing and withdrawing a testimony are public self-service (the receipt
code is the key), so they are no permissions. Identity is for the consultation's moderators
alone: not coordinators, not administrators, unless they are its moderators too.
"""

from __future__ import annotations

from typing import Any

from uprhub.core.roles import is_coordinator
from uprhub.core.rules import rule

from .models import ConsultationRole, ConsultationRoleKind


def _consultation(obj: Any) -> Any:
    return getattr(obj, "consultation", obj)


def is_moderator(user: Any, obj: Any) -> bool:
    consultation = _consultation(obj)
    if consultation is None or not getattr(user, "pk", None):
        return False
    return ConsultationRole.objects.filter(
        consultation=consultation, user=user, role=ConsultationRoleKind.MODERATOR
    ).exists()


rule(
    "consultations.create",
    lambda user, obj: is_coordinator(user),
    "coordinators and admins (and the command line)",
    system=True,
)
rule(
    "consultations.assign_role",
    lambda user, obj: is_coordinator(user),
    "coordinators and admins (and the command line)",
    system=True,
)
rule(
    "consultations.view_identity",
    is_moderator,
    "the moderators of that consultation only",
)
