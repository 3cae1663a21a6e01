"""Who may do what in the UPR Taskforce: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from typing import Any

from uprhub.core.roles import is_coordinator, is_member
from uprhub.core.rules import rule, status_is


def _reviews_applications(user: Any, obj: Any) -> bool:
    return is_coordinator(user) or user.has_perm("coalition.review_application")


rule(
    "coalition.review_application",
    _reviews_applications,
    "coordinators and admins (or the coalition.review_application model permission)",
)
rule(
    "coalition.view_queue",
    lambda user, obj: is_coordinator(user),
    "coordinators and admins (the review queue and an application's page)",
)
rule(
    "coalition.view_directory",
    lambda user, obj: is_member(user),
    "members, coordinators and admins",
)
rule(
    "coalition.decide_application",
    _reviews_applications,
    "coordinators and admins (or the coalition.review_application model permission)",
    # An approved application is done: the person is in the taskforce. Declined and
    # waiting ones can still be decided (an applicant may be let in after all).
    when=status_is("pending", "needs_info", "declined"),
    state="not yet approved",
)
