"""The e-mail outbox's part of a person's data download and account deletion.

The outbox (`uprhub.core.outbox`) sits on the lowest floor, below `uprhub.accounts` and its
privacy registry, so the site registers its section (in `SiteConfig.ready()`): the one-to-one
messages on record for the account's address (subject, state, when; the text of a delivered
message is already erased), deleted with the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from uprhub.accounts.privacy import register_section, when
from uprhub.core.models import OutboxMessage


def collect(user: Any) -> list[dict[str, Any]]:
    return [
        {"subject": m.subject, "status": m.status, "queued_at": when(m.created_at)}
        for m in OutboxMessage.objects.filter(to__iexact=user.email).order_by("pk")
    ]


def erase(user: Any) -> Mapping[str, int]:
    return {"outbox_messages": OutboxMessage.objects.filter(to__iexact=user.email).delete()[0]}


def register() -> None:
    register_section("mail_to_you", collect, erase=erase, order=40)
