"""Every write of the mailing lists: subscribe, confirm, unsubscribe, preferences, posts.

Views, the admin and management commands call these functions, so they behave the same.
The coordinators' writes (posts) check their permission themselves (`uprhub.core.rules`);
the public self-service ones (subscribing, links from e-mails) need none and never take
their person from the form.
E-mail is scheduled with `transaction.on_commit` (`schedule_mail`), and the background
sending of a post is enqueued the same way, so nothing announces a rolled-back change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.services import normalise_email
from uprhub.core import antispam
from uprhub.core.mail import _check_header as check_header
from uprhub.core.mail import schedule_mail
from uprhub.core.rules import Actor, has_perm, require_perm

from . import tokens
from .models import (
    Delivery,
    DeliveryStatus,
    MailingList,
    Post,
    PostStatus,
    ReminderPreference,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)
from .rendering import PostMailer, markdown_to_html

#: Confirmation / preferences-link e-mails one address may receive per hour, whoever asks.
#: The per-client limit on the forms stops one bot; this stops many bots mail-bombing one
#: victim. Excess requests are dropped silently (the page looks the same).
DEFAULT_ADDRESS_RATE = "3/h"


class SubscriptionError(Exception):
    """A subscription the person may not have (e.g. a members-only list)."""


class PostStateError(Exception):
    """The post is not in a state that allows this (e.g. sending a post twice)."""


def _address_rate() -> str:
    return getattr(settings, "UPRHUB_RATE_LIMITS", {}).get("list_address", DEFAULT_ADDRESS_RATE)


def _owns_address(user: Any, email: str) -> bool:
    """A logged-in account whose (verified: accounts are active only once verified) address
    is this one: no confirmation e-mail is needed."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.email
        and normalise_email(user.email) == email
    )


def _link_user(subscriber: Subscriber, user: Any) -> None:
    if subscriber.user_id is None and not Subscriber.objects.filter(user=user).exists():
        subscriber.user = user


# ---------------------------------------------------------------- subscribing


@dataclass
class SubscribeOutcome:
    """What happened, for tests and logs. The page shown is the same in every case."""

    subscriber: Subscriber | None
    activated: list[MailingList] = field(default_factory=list)
    pending: list[MailingList] = field(default_factory=list)
    throttled: bool = False
    owner: bool = False  # the logged-in account's own address: no confirmation needed


@transaction.atomic
def request_subscription(
    *, email: str, lists: Iterable[MailingList], user: Any = None
) -> SubscribeOutcome:
    """Double opt-in: record pending subscriptions and e-mail one confirmation link.

    - Lists the address is not yet on become pending; a confirmation link is sent. Each
      request rotates the subscriber's nonce, so only the latest link works.
    - An address already on every chosen list gets a "you are already subscribed" e-mail
      with its preferences link, and nothing changes (no enumeration on the page).
    - A logged-in person subscribing their own account address is subscribed at once.
    Members-only lists are open only to members, with their account address.
    """
    email = normalise_email(email)
    check_header("To", email)
    lists = list(lists)
    owner = _owns_address(user, email)
    for mailing_list in lists:
        if mailing_list.members_only and not (
            owner and has_perm(user, "mailinglists.join_members_list", mailing_list)
        ):
            raise SubscriptionError(f"{mailing_list.slug} is for members only")
    if not owner and antispam.hit("list_address", email, _address_rate()):
        return SubscribeOutcome(subscriber=None, throttled=True)

    now = timezone.now()
    subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email)
    outcome = SubscribeOutcome(subscriber=subscriber, owner=owner)
    for mailing_list in lists:
        subscription, _ = Subscription.objects.select_for_update().get_or_create(
            subscriber=subscriber, mailing_list=mailing_list
        )
        if subscription.status == SubscriptionStatus.ACTIVE:
            continue
        if owner:
            subscription.status = SubscriptionStatus.ACTIVE
            subscription.confirmed_at = now
            outcome.activated.append(mailing_list)
        else:
            subscription.status = SubscriptionStatus.PENDING
            outcome.pending.append(mailing_list)
        subscription.requested_at = now
        subscription.unsubscribed_at = None
        subscription.save()

    if owner:
        _link_user(subscriber, user)
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.save()
    elif outcome.pending:
        subscriber.confirm_nonce = get_random_string(24)
        subscriber.save(update_fields=["confirm_nonce"])
        pending_lists = list(
            MailingList.objects.filter(
                subscriptions__subscriber=subscriber,
                subscriptions__status=SubscriptionStatus.PENDING,
            )
        )
        schedule_mail(
            email,
            "list_confirm",
            {
                "lists": pending_lists,
                "confirm_url": tokens.confirm_url(subscriber),
                "max_age_days": tokens.confirm_max_age() // 86400,
            },
            name=_name_of(subscriber),
        )
    else:
        schedule_mail(
            email,
            "list_already_subscribed",
            {"lists": lists, "preferences_url": tokens.preferences_url(subscriber)},
            name=_name_of(subscriber),
        )
    return outcome


def pending_confirmation(token: str) -> tuple[Subscriber, list[MailingList]]:
    """Check a confirmation link without using it (the page with the button)."""
    subscriber_id, payload = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        raise tokens.InvalidToken("No such subscriber")
    tokens.check_confirm_token(payload, subscriber)
    lists = list(
        MailingList.objects.filter(
            subscriptions__subscriber=subscriber,
            subscriptions__status=SubscriptionStatus.PENDING,
        )
    )
    return subscriber, lists


@transaction.atomic
def confirm_subscription(token: str) -> tuple[Subscriber, list[MailingList]]:
    """Activate the pending subscriptions of the address a valid, unused link was made for.

    The link then stops working (its nonce is cleared), so it is single-use; it also
    expires (see tokens.py). Raises tokens.InvalidToken otherwise.
    """
    subscriber_id, payload = tokens.read_confirm_token(token)
    subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
    if subscriber is None:
        raise tokens.InvalidToken("No such subscriber")
    tokens.check_confirm_token(payload, subscriber)
    now = timezone.now()
    pending = Subscription.objects.filter(
        subscriber=subscriber, status=SubscriptionStatus.PENDING
    ).select_related("mailing_list")
    lists = [subscription.mailing_list for subscription in pending]
    pending.update(status=SubscriptionStatus.ACTIVE, confirmed_at=now)
    subscriber.confirm_nonce = ""
    subscriber.confirmed_at = subscriber.confirmed_at or now
    subscriber.save(update_fields=["confirm_nonce", "confirmed_at"])
    return subscriber, lists


@transaction.atomic
def unsubscribe(subscription: Subscription) -> Subscription:
    """Leave one list. Idempotent; deliveries of posts still being sent are cancelled."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status != SubscriptionStatus.UNSUBSCRIBED:
        subscription.status = SubscriptionStatus.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["status", "unsubscribed_at"])
    Delivery.objects.filter(subscription=subscription, status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, last_error="Unsubscribed before delivery"
    )
    return subscription


def unsubscribe_with_token(token: str) -> Subscription:
    return unsubscribe(tokens.read_unsubscribe_token(token))


@transaction.atomic
def reminders_off(preference: ReminderPreference) -> ReminderPreference:
    ReminderPreference.objects.filter(pk=preference.pk).update(opted_in=False)
    preference.opted_in = False
    return preference


# ---------------------------------------------------------------- preferences


def subscriber_for_user(user: Any, *, create: bool = False) -> Subscriber | None:
    """The Subscriber of a logged-in account: linked to it, else the one with its address."""
    subscriber = Subscriber.objects.filter(user=user).first()
    if subscriber is not None or not user.email:
        return subscriber
    email = normalise_email(user.email)
    if create:
        with transaction.atomic():
            subscriber, _ = Subscriber.objects.select_for_update().get_or_create(email=email)
            if subscriber.user_id is None:
                subscriber.user = user
                subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
                subscriber.save(update_fields=["user", "confirmed_at"])
        return subscriber
    return Subscriber.objects.filter(email=email).first()


def reminder_preference_for(subscriber: Subscriber) -> ReminderPreference:
    preference, _ = ReminderPreference.objects.get_or_create(subscriber=subscriber)
    return preference


@transaction.atomic
def save_preferences(
    subscriber: Subscriber,
    *,
    offered: Iterable[MailingList],
    chosen: Iterable[MailingList],
    reminders: bool,
    states: Iterable[Any],
    days: Iterable[int],
) -> None:
    """Apply the preferences page: join or leave each offered list, set reminders.

    Reaching this page proves the address (a link e-mailed to it, or the verified account),
    so lists chosen here are active at once.
    """
    now = timezone.now()
    chosen_ids = {mailing_list.pk for mailing_list in chosen}
    for mailing_list in offered:
        subscription = (
            Subscription.objects.select_for_update()
            .filter(subscriber=subscriber, mailing_list=mailing_list)
            .first()
        )
        if mailing_list.pk in chosen_ids:
            if subscription is None:
                Subscription.objects.create(
                    subscriber=subscriber,
                    mailing_list=mailing_list,
                    status=SubscriptionStatus.ACTIVE,
                    requested_at=now,
                    confirmed_at=now,
                )
            elif subscription.status != SubscriptionStatus.ACTIVE:
                subscription.status = SubscriptionStatus.ACTIVE
                subscription.confirmed_at = now
                subscription.unsubscribed_at = None
                subscription.save()
        elif subscription is not None and subscription.status != SubscriptionStatus.UNSUBSCRIBED:
            unsubscribe(subscription)
    preference = reminder_preference_for(subscriber)
    preference.opted_in = reminders
    preference.days = sorted({int(day) for day in days}, reverse=True)
    preference.save()
    preference.states.set(list(states))
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = now
        subscriber.save(update_fields=["confirmed_at"])


@transaction.atomic
def send_preferences_link(email: str) -> bool:
    """E-mail the preferences link to a known address; nothing for others (same page)."""
    email = normalise_email(email)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is None or antispam.hit("list_address", email, _address_rate()):
        return False
    schedule_mail(
        email,
        "list_manage",
        {"preferences_url": tokens.preferences_url(subscriber)},
        name=_name_of(subscriber),
    )
    return True


def _name_of(subscriber: Subscriber) -> str:
    """The greeting's name: the linked account's, if any (an address alone has none)."""
    profile = getattr(subscriber.user, "profile", None) if subscriber.user_id else None
    return profile.full_name if profile is not None else ""


# ---------------------------------------------------------------- posts


@transaction.atomic
def save_draft(
    *,
    actor: Actor,
    mailing_list: MailingList,
    subject: str,
    body: str,
    post: Post | None = None,
) -> Post:
    """Create or edit a draft (coordinators). A post that went out can no longer change."""
    require_perm(
        actor,
        "mailinglists.write_post",
        post,
        state_error=PostStateError(_("Only drafts can be edited.")),
    )
    check_header("Subject", subject)
    if post is None:
        post = Post(author=actor)
    else:
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status != PostStatus.DRAFT:
            raise PostStateError(_("Only drafts can be edited."))
    post.mailing_list = mailing_list
    post.subject = subject
    post.body = body
    post.body_html = markdown_to_html(body)
    post.save()
    return post


@transaction.atomic
def start_sending(post: Post, *, actor: Actor) -> int:
    """Freeze the recipient list into delivery rows and hand the post to the worker
    (coordinators; a post is sent once).

    The rows are the delivery log and the work queue at once: the task sends pending rows
    and never touches sent ones, so enqueuing twice or re-running sends nothing twice.
    Returns the number of recipients.
    """
    require_perm(
        actor,
        "mailinglists.send_post",
        post,
        state_error=PostStateError(_("This post was already sent.")),
    )
    post = Post.objects.select_for_update().select_related("mailing_list").get(pk=post.pk)
    if post.status != PostStatus.DRAFT:
        raise PostStateError(_("This post was already sent."))
    if not post.mailing_list.is_active:
        raise PostStateError(_("The list is inactive."))
    PostMailer(post)  # header checks before anything is queued
    recipients = Subscription.objects.recipients_of(post.mailing_list).values_list(
        "pk", "subscriber__email"
    )
    Delivery.objects.bulk_create(
        [Delivery(post=post, subscription_id=pk, email=email) for pk, email in recipients],
        batch_size=1000,
        ignore_conflicts=True,
    )
    post.status = PostStatus.SENDING
    post.sent_at = timezone.now()
    post.sent_by = actor if getattr(actor, "is_authenticated", False) else None
    post.save(update_fields=["status", "sent_at", "sent_by"])
    count = post.deliveries.count()
    if count == 0:
        post.status = PostStatus.SENT
        post.finished_at = post.sent_at
        post.save(update_fields=["status", "finished_at"])
    else:
        transaction.on_commit(lambda: enqueue_delivery(post.pk))
    return count


def enqueue_delivery(post_id: int) -> None:
    from .tasks import deliver_post

    deliver_post.enqueue(post_id)
