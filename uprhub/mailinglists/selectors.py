"""Read-side queries of the mailing lists that views share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from uprhub.reviews.models import State, StateQuerySet

from .models import (
    DeliveryStatus,
    MailingList,
    MailingListQuerySet,
    Post,
    PostStatus,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)

_DB_BACKEND = "django_tasks_db.DatabaseBackend"


# ---------------------------------------------------------------- lists and subscriptions


def active_lists() -> MailingListQuerySet:
    """Every list still in use, whoever may subscribe to it."""
    return MailingList.objects.active()


def offered_lists(subscriber: Subscriber | None, user: Any) -> MailingListQuerySet:
    """The active lists a preferences page offers: those visible to the signed-in person,
    else to the account behind the subscriber (a link from an e-mail), else public ones."""
    owner = user if user is not None and user.is_authenticated else None
    if owner is None and subscriber is not None:
        owner = subscriber.user
    return active_lists().visible_to(owner)


def reminder_states() -> StateQuerySet:
    """The states whose review deadlines one may be reminded of, by short name."""
    return State.objects.under_review().order_by("short_name")


def subscribed_lists(subscriber: Subscriber) -> QuerySet[MailingList]:
    """The lists `subscriber` receives (confirmed subscriptions only)."""
    return MailingList.objects.filter(
        subscriptions__subscriber=subscriber,
        subscriptions__status=SubscriptionStatus.ACTIVE,
    )


def pending_subscriptions(subscriber: Subscriber) -> QuerySet[Subscription]:
    """Subscriptions of `subscriber` still waiting for their confirmation, by list name."""
    return (
        Subscription.objects.filter(subscriber=subscriber, status=SubscriptionStatus.PENDING)
        .select_related("mailing_list")
        .order_by("mailing_list__name")
    )


def list_or_404(slug: str) -> MailingList:
    """Any list, members-only included (callers check who may read it); Http404 if none."""
    return get_object_or_404(MailingList, slug=slug)


def published_post_or_404(mailing_list: MailingList, pk: int) -> Post:
    """A post of the list's archive; drafts and posts still sending are Http404."""
    return get_object_or_404(mailing_list.posts.published(), pk=pk)


# ---------------------------------------------------------------- posts (coordinators)


def posts_with_delivery_counts() -> QuerySet[Post]:
    """Every post, newest first, with its recipients, delivered and failed counts."""
    return (
        Post.objects.select_related("mailing_list")
        .annotate(
            recipients=Count("deliveries"),
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
        .order_by("-created_at")
    )


def post_or_404(pk: int) -> Post:
    """Any post, draft or sent; Http404 if there is none."""
    return get_object_or_404(Post, pk=pk)


def post_for_preview(pk: int) -> Post:
    """A post with its list and author, for the coordinator's preview; Http404 if none."""
    return get_object_or_404(Post.objects.select_related("mailing_list", "author"), pk=pk)


def post_with_list(pk: int) -> Post:
    """A post with its list, for its delivery log; Http404 if there is none."""
    return get_object_or_404(Post.objects.select_related("mailing_list"), pk=pk)


def recipient_count(post: Post) -> int:
    """How many people the post goes to: today's subscribers while it is a draft, else the
    deliveries it was sent as."""
    if post.status == PostStatus.DRAFT:
        return Subscription.objects.recipients_of(post.mailing_list).count()
    return post.deliveries.count()


# ---------------------------------------------------------------- sending


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
