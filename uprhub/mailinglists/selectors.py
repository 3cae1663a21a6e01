"""Read-side queries of the mailing lists that views share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from .models import DeliveryStatus, Post, PostStatus

_DB_BACKEND = "django_tasks_db.DatabaseBackend"


@dataclass(frozen=True)
class SendingState:
    """Where a post's sending really is, for the coordinator.

    ``kind`` is one of: ``draft``; ``waiting`` (queued, no worker has picked it up since
    ``since``); ``retrying`` (the next run is due at ``since``, e.g. after an SMTP outage);
    ``sending`` (a worker is on it, or rows are pending with nothing queued); ``sent``.
    """

    kind: str
    sent: int
    total: int
    failed: int
    since: datetime | None = None


def _queued_runs(post_id: int) -> tuple[bool, datetime | None, datetime | None]:
    """(a worker runs it, since when a run waits for a worker, when a deferred run is due)."""
    if settings.TASKS["default"]["BACKEND"] != _DB_BACKEND:
        return False, None, None  # the immediate backend runs in the request: no queue
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .tasks import deliver_post

    rows = DBTaskResult.objects.filter(
        task_path=deliver_post.module_path,
        status__in=["READY", "RUNNING"],
        args_kwargs__args__0=post_id,
    ).values_list("status", "run_after", "enqueued_at")
    now = timezone.now()
    waiting: datetime | None = None
    deferred: datetime | None = None
    for status, run_after, enqueued_at in rows:
        if status == "RUNNING":
            return True, None, None
        if run_after == get_date_max() or run_after <= now:
            due = enqueued_at if run_after == get_date_max() else run_after
            waiting = min(waiting, due) if waiting else due
        else:
            deferred = min(deferred, run_after) if deferred else run_after
    return False, waiting, deferred


def sending_state(post: Post) -> SendingState:
    counts = post.deliveries.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
    )
    sent, total, failed = counts["sent"], counts["total"], counts["failed"]
    if post.status == PostStatus.DRAFT:
        return SendingState("draft", sent, total, failed)
    if post.status == PostStatus.SENT:
        return SendingState("sent", sent, total, failed, post.finished_at)
    running, waiting, deferred = _queued_runs(post.pk)
    if not running and waiting is not None:
        return SendingState("waiting", sent, total, failed, waiting)
    if not running and deferred is not None:
        return SendingState("retrying", sent, total, failed, deferred)
    return SendingState("sending", sent, total, failed)
