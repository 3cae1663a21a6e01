"""Who may do what in the review calendar: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from uprhub.core.roles import is_admin, is_coordinator
from uprhub.core.rules import rule

rule(
    "calendar.set_deadline",
    lambda user, target: is_coordinator(user) or user.has_perm("uprcalendar.change_deadline"),
    "coordinators and admins (or the uprcalendar.change_deadline model permission)",
    system=True,
)
rule(
    "calendar.load",
    lambda user, obj: is_admin(user),
    "admins; the command line (`uprhub calendar load`, first-run preparation)",
    system=True,
)
