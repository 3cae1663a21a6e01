"""Background tasks (Django 6 `django.tasks`): small functions taking primitive ids.

Each re-fetches what it needs and exits quietly when the row is gone. With the database
backend, `uprhub worker` runs them; under the immediate backend (tests) `enqueue()` runs
them at once.

Scheduling: django-tasks-db has no clock of its own. Run from cron, e.g.::

    # every hour: deadline reminders (exactly once each, so running often is safe)
    0 * * * *   uprhub manage send_reminders --enqueue
    # every 10 minutes: pick up posts left pending by an outage or a crash
    */10 * * * * uprhub manage deliver_posts --enqueue
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.tasks import task
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import delivery, reminders

log = logging.getLogger(__name__)

#: Re-enqueued runs without progress before a post waits for `deliver_posts` (cron) instead.
MAX_IDLE_RETRIES = 24


def _can_defer() -> bool:
    return bool(getattr(deliver_post.get_backend(), "supports_defer", False))


@task
def deliver_post(post_id: int, idle_retries: int = 0) -> dict[str, Any]:
    """Send the due pending deliveries of a post; re-enqueue itself for the rest.

    Retries wait with back-off (`run_after`) on backends that can defer (the database one).
    The immediate backend cannot; there the rows simply stay pending until the next run
    (`uprhub manage deliver_posts`), which is also what tests use to "come back later".
    """
    report = delivery.deliver_post(post_id)
    if report.remaining and _can_defer():
        idle_retries = 0 if report.sent else idle_retries + 1
        if idle_retries <= MAX_IDLE_RETRIES:
            fallback = timezone.now() + delivery.retry_delay(max(idle_retries, 1))
            run_after = report.next_attempt_at or fallback
            if report.connection_error:
                # The server is down: do not hammer it, whatever the rows say.
                run_after = max(run_after, fallback)
            deliver_post.using(run_after=run_after).enqueue(post_id, idle_retries)
        else:
            log.error("Post %s: giving up re-enqueuing; deliver_posts will retry", post_id)
    return report.as_dict()


@task
def deliver_pending_posts() -> list[int]:
    """Enqueue a run for every post with pending deliveries (after an outage or crash)."""
    delivery.finish_empty_posts()
    post_ids = delivery.posts_with_pending_deliveries()
    for post_id in post_ids:
        deliver_post.enqueue(post_id)
    return post_ids


@task
def send_reminders_task(now: str | None = None, window_hours: int | None = None) -> dict[str, Any]:
    """The daily (or hourly) reminder run; `now` as ISO 8601 for replays and tests."""
    moment = parse_datetime(now) if now else None
    window = timedelta(hours=window_hours) if window_hours else None
    report = reminders.send_reminders(moment, window=window)
    return report.__dict__.copy()
