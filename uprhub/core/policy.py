"""Who may do what with core's own objects: the e-mail outbox (`uprhub.core.outbox`), in the
one vocabulary of `uprhub.core.rules` (see docs/ARCHITECTURE.md#permissions)."""

from __future__ import annotations

from uprhub.core.roles import is_admin
from uprhub.core.rules import rule

rule(
    "core.view_outbox",
    lambda user, obj: is_admin(user),
    "admins (the Outbox page: every queued e-mail, its recipient, text and state)",
)
