"""Who may do what in machine suggestions: this app's permissions in the one vocabulary of
`uprhub.core.rules` (found there by name on first use; see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from uprhub.core.roles import is_member
from uprhub.core.rules import rule, status_is

rule(
    "classifier.review_suggestion",
    lambda user, suggestion: is_member(user),
    "members, coordinators and admins",
    when=status_is("pending"),
    state="pending (a decision is final)",
)
