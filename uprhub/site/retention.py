"""Data kept only as long as it serves its purpose: what `uprhub purge` deletes.

Run daily from cron (see docs/OPERATIONS.md); the periods come from settings/privacy.py and
are what the public privacy page (/privacy/) announces:

* list subscriptions never confirmed after ``UPRHUB_RETENTION_UNCONFIRMED_DAYS`` days, and
  the addresses left with no subscription, reminders or account;
* expired login sessions (Django's ``clearsessions``);
* taskforce answers sent with an existing application's address and never confirmed by the
  address's owner, once their confirmation link has expired
  (``UPRHUB_EMAIL_VERIFICATION_MAX_AGE``);
* per-address delivery records of list posts finished more than
  ``UPRHUB_RETENTION_DELIVERY_LOG_DAYS`` days ago, and of deadline reminders sent (or given up)
  that long ago for deadlines that have passed. The posts themselves stay in the archive.
* one-to-one e-mail in the outbox (`core.outbox`) sent, shown or given up that long ago.
* in consultations, participants' identities and original (unredacted) words once the
  consultation closed ``UPRHUB_CONSULTATION_RETENTION_DAYS`` days ago, and keyed hashes of
  client addresses after ``UPRHUB_CONSULTATION_ADDRESS_HASH_DAYS`` (≤ 7)
  (`consultations.services.purge_expired`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone


@dataclass
class Purged:
    unconfirmed_subscriptions: int = 0
    addresses: int = 0
    sessions: int = 0
    deliveries: int = 0
    reminder_logs: int = 0
    unconfirmed_answers: int = 0
    outbox_messages: int = 0
    consultation_address_hashes: int = 0
    consultation_receipt_mails: int = 0
    consultation_identities: int = 0
    consultation_originals: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def unconfirmed_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.UPRHUB_RETENTION_UNCONFIRMED_DAYS)


def delivery_log_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.UPRHUB_RETENTION_DELIVERY_LOG_DAYS)


@transaction.atomic
def purge(now: datetime | None = None) -> Purged:
    """Delete what has outlived its retention period; return how many rows of each kind."""
    from uprhub.mailinglists.models import (
        Delivery,
        DeliveryStatus,
        PostStatus,
        ReminderLog,
        Subscriber,
        Subscription,
        SubscriptionStatus,
    )

    now = now or timezone.now()
    result = Purged()
    stale = Q(requested_at__lt=unconfirmed_cutoff(now)) | Q(requested_at__isnull=True)
    result.unconfirmed_subscriptions = Subscription.objects.filter(
        stale, status=SubscriptionStatus.PENDING
    ).delete()[0]
    # An address that was never confirmed and has nothing left is only someone's e-mail
    # address typed into a form: it goes too.
    orphans = Subscriber.objects.filter(
        user__isnull=True,
        confirmed_at__isnull=True,
        subscriptions__isnull=True,
        created_at__lt=unconfirmed_cutoff(now),
    ).exclude(reminder_preference__opted_in=True)
    result.addresses = Subscriber.objects.filter(
        pk__in=list(orphans.values_list("pk", flat=True))
    ).delete()[0]

    result.sessions = Session.objects.filter(expire_date__lt=now).delete()[0]

    from uprhub.coalition.models import ApplicationRevision

    # Their link no longer works: what they hold is someone's answers with no use left.
    answers_cutoff = now - timedelta(seconds=settings.UPRHUB_EMAIL_VERIFICATION_MAX_AGE)
    result.unconfirmed_answers = ApplicationRevision.objects.filter(
        created_at__lt=answers_cutoff
    ).delete()[0]

    cutoff = delivery_log_cutoff(now)
    result.deliveries = (
        Delivery.objects.filter(post__status=PostStatus.SENT, post__finished_at__lt=cutoff)
        .exclude(status=DeliveryStatus.PENDING)
        .delete()[0]
    )
    result.reminder_logs = (
        ReminderLog.objects.filter(created_at__lt=cutoff, due__lt=now)
        .exclude(status=DeliveryStatus.PENDING)
        .delete()[0]
    )
    from uprhub.core.models import OutboxMessage, OutboxStatus

    result.outbox_messages = (
        OutboxMessage.objects.filter(created_at__lt=cutoff)
        .exclude(status=OutboxStatus.PENDING)
        .delete()[0]
    )
    from uprhub.consultations.services import RECEIPT_MAIL_KIND, purge_expired

    consultations = purge_expired(now)
    result.consultation_address_hashes = consultations.address_hashes
    result.consultation_identities = consultations.identities
    result.consultation_originals = consultations.originals
    # A receipt e-mail holds a participant's address and their code: gone once sent.
    result.consultation_receipt_mails = (
        OutboxMessage.objects.filter(kind=RECEIPT_MAIL_KIND)
        .exclude(status=OutboxStatus.PENDING)
        .delete()[0]
    )
    return result
