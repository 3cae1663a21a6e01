"""Who may do what in consultations (see docs/ARCHITECTURE.md#permissions).

Giving, reading, changing and withdrawing a testimony are public self-service (the receipt
code is the key), so they are no permissions. Identity is for the consultation's moderators
alone: not coordinators, not administrators, unless they are its moderators too.
"""

from __future__ import annotations

from typing import Any

from uprhub.core.roles import is_coordinator, is_member
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


def is_facilitator(user: Any, obj: Any) -> bool:
    """Facilitators enter testimony for people; a moderator may do it too."""
    consultation = _consultation(obj)
    if consultation is None or not getattr(user, "pk", None):
        return False
    return ConsultationRole.objects.filter(consultation=consultation, user=user).exists()


def runs_it(user: Any, obj: Any) -> bool:
    """Its facilitators and moderators, and the coalition's coordinators."""
    return is_coordinator(user) or is_facilitator(user, obj)


def may_read_results(user: Any, obj: Any) -> bool:
    """Anonymised results (synthesis, exports, the read API): members and up, and the
    people who run the consultation."""
    return is_member(user) or runs_it(user, obj)


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
rule(
    "consultations.moderate",
    is_moderator,
    "the moderators of that consultation only",
)
rule(
    # The words as the person wrote them, before redaction: like identity, moderators only.
    "consultations.view_original",
    is_moderator,
    "the moderators of that consultation only",
)
rule(
    "consultations.facilitate",
    is_facilitator,
    "the facilitators and moderators of that consultation",
)
rule(
    "consultations.manage",
    runs_it,
    "coordinators, and the consultation's facilitators and moderators (and the command line)",
    system=True,
)
rule(
    "consultations.view_results",
    may_read_results,
    "members and up, and the consultation's facilitators and moderators (and the command line)",
    system=True,
)
rule(
    "consultations.tag",
    is_moderator,
    "the moderators of that consultation only",
)
rule(
    # Paper forms, purge, withdrawal by item id: the people who run it, or the command line.
    "consultations.import",
    lambda user, obj: is_coordinator(user) or is_moderator(user, obj),
    "coordinators and the consultation's moderators (and the command line)",
    system=True,
)
