"""Mailing lists' part of a person's data download and account deletion.

Registered with `uprhub.accounts.privacy` in `MailingListsConfig.ready()`: the subscriber
(found by account or address), its subscriptions and reminder preference, and the mail sent to
the address; deleting the account deletes the subscriber (its subscriptions and reminder
preference go with it) and the per-address delivery records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from uprhub.accounts.privacy import register_section, when

from .models import Delivery, ReminderLog, Subscriber


def _subscriber_of(user: Any) -> Subscriber | None:
    return (
        Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        .order_by("-user_id")
        .first()
    )


def collect(user: Any) -> dict[str, Any]:
    subscriber = _subscriber_of(user)
    if subscriber is None:
        return {"address": None, "subscriptions": [], "reminders": None, "mail_sent": []}
    preference = getattr(subscriber, "reminder_preference", None)
    return {
        "address": subscriber.email,
        "address_confirmed_at": when(subscriber.confirmed_at),
        "subscriptions": [
            {
                "list": s.mailing_list.name,
                "status": s.status,
                "requested_at": when(s.requested_at),
                "confirmed_at": when(s.confirmed_at),
                "unsubscribed_at": when(s.unsubscribed_at),
            }
            for s in subscriber.subscriptions.select_related("mailing_list").order_by("pk")
        ],
        "reminders": {
            "opted_in": preference.opted_in,
            "states": sorted(s.code for s in preference.states.all()),
            "days_before": preference.days,
        }
        if preference
        else None,
        "mail_sent": [
            {
                "post": d.post.subject,
                "status": d.status,
                "sent_at": when(d.sent_at),
            }
            for d in Delivery.objects.filter(email__iexact=subscriber.email)
            .select_related("post")
            .order_by("pk")
        ]
        + [
            {"reminder": r.key, "status": r.status, "sent_at": when(r.sent_at)}
            for r in ReminderLog.objects.filter(email__iexact=subscriber.email).order_by("pk")
        ],
    }


def erase(user: Any) -> Mapping[str, int]:
    subscriber = _subscriber_of(user)
    if subscriber is not None:
        address = subscriber.email
        subscriber.delete()  # its subscriptions and reminder preference go with it
    else:
        address = user.email
    mail_log_rows = (
        Delivery.objects.filter(email__iexact=address).delete()[0]
        + ReminderLog.objects.filter(email__iexact=address).delete()[0]
    )
    return {"subscriber": int(subscriber is not None), "mail_log_rows": mail_log_rows}


def register() -> None:
    register_section("mailing_lists", collect, erase=erase, order=20)
