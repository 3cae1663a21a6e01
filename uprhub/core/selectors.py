"""Read-side queries of the core app (the e-mail outbox)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from .models import OutboxMessage, OutboxStatus


def outbox_messages(status: str = "") -> QuerySet[OutboxMessage]:
    """The outbox, newest first; one state only when `status` names one."""
    messages = OutboxMessage.objects.order_by("-created_at", "-pk")
    if status in OutboxStatus.values:
        messages = messages.filter(status=status)
    return messages


def outbox_counts() -> dict[str, int]:
    """How many messages are in each state (every state listed, zero included)."""
    found = dict(
        OutboxMessage.objects.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in OutboxStatus.values}
