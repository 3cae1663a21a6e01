"""Background tasks of the transactional outbox (`uprhub.core.outbox`).

`deliver_outbox_message` is enqueued once per message after its transaction commits; while
the mail server is down it enqueues itself again for the message's next attempt (on backends
that can defer, the database one run by `uprhub worker`). `deliver_outbox` sends every due
message: the worker runs it at start, and `uprhub manage deliver_outbox` (cron) too, so a
message whose task was lost is still sent.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from . import outbox


def _can_defer() -> bool:
    return bool(getattr(deliver_outbox_message.get_backend(), "supports_defer", False))


@task
def deliver_outbox_message(message_id: int) -> dict[str, int]:
    """Send one queued message; if it must wait (server down, 4xx), come back for it."""
    counts = outbox.deliver(message_id)
    if outbox.is_pending(message_id) and _can_defer():
        run_after = outbox.next_attempt_at(message_id) or timezone.now() + outbox.retry_delay(1)
        deliver_outbox_message.using(run_after=run_after).enqueue(message_id)
    return counts


@task
def deliver_outbox() -> dict[str, int]:
    """Send every due queued message (after a restart, an outage, or from cron)."""
    return outbox.deliver()
