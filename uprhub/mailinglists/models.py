"""Mailing lists, their subscribers, posts with a per-recipient delivery log, and reminders.

Every recipient is a `Subscriber`: one row per e-mail address, optionally linked to an
account. Members who only want deadline reminders get a Subscriber row too (created from
their verified account address), so list mail and reminders share one notion of "an address
that proved it is reachable" and one preferences page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uprhub.accounts.choices import Role
from uprhub.accounts.permissions import is_member
from uprhub.accounts.validators import single_line
from uprhub.calendar.reminders import DEFAULT_DAYS
from uprhub.reviews.models import State

MEMBER_ROLES = (Role.MEMBER, Role.COORDINATOR, Role.ADMIN)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class MailingListQuerySet(models.QuerySet["MailingList"]):
    def active(self) -> MailingListQuerySet:
        return self.filter(is_active=True)

    def public(self) -> MailingListQuerySet:
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user: Any) -> MailingListQuerySet:
        """Lists whose archive the user may read and which they may join."""
        from uprhub.core.rules import has_perm  # rules import auth views: not at model load

        return self if has_perm(user, "mailinglists.read_members_archive") else self.public()


class MailingList(models.Model):
    slug = models.SlugField(
        _("short name"),
        max_length=60,
        unique=True,
        help_text=_("Used in web addresses and in the List-Id of messages."),
    )
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("who may subscribe and read the archive"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    from_email = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("Address posts come from. Empty: the site's address (DEFAULT_FROM_EMAIL)."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive lists take no subscribers and no posts; their archive stays."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MailingListQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("mailinglists:archive", args=[self.slug])

    @property
    def members_only(self) -> bool:
        return self.visibility == Visibility.MEMBERS


class Subscriber(models.Model):
    """One e-mail address that receives list mail and/or reminders."""

    email = models.EmailField(
        _("e-mail address"), unique=True, help_text=_("Stored in lower case.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="list_subscriber",
        help_text=_("The account this address belongs to, if any (members-only lists)."),
    )
    confirmed_at = models.DateTimeField(
        _("address confirmed"),
        null=True,
        blank=True,
        help_text=_("When the address was first proved reachable (link followed, or account)."),
    )
    # Rotated by every subscription request: only the latest confirmation link works.
    confirm_nonce = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email

    @property
    def is_member(self) -> bool:
        return self.user is not None and is_member(self.user)


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def active(self) -> SubscriptionQuerySet:
        return self.filter(status=SubscriptionStatus.ACTIVE)

    def recipients_of(self, mailing_list: MailingList) -> SubscriptionQuerySet:
        """Who gets a post now: active subscribers; for a members-only list, only those
        whose account still has a member role (a removed member stops receiving)."""
        qs = self.active().filter(mailing_list=mailing_list)
        if mailing_list.members_only:
            qs = qs.filter(subscriber__user__is_active=True).filter(
                Q(subscriber__user__is_superuser=True)
                | Q(subscriber__user__profile__role__in=MEMBER_ROLES)
            )
        return qs


class Subscription(models.Model):
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="subscription_unique"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "status"], name="subscription_list_status")]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.mailing_list}"


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class PostQuerySet(models.QuerySet["Post"]):
    def published(self) -> PostQuerySet:
        """Posts that went out (or are going out): the archive and the feed show these."""
        return self.exclude(status=PostStatus.DRAFT).filter(sent_at__isnull=False)


class Post(models.Model):
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.PROTECT, related_name="posts", verbose_name=_("list")
    )
    subject = models.CharField(_("subject"), max_length=200, validators=[single_line])
    body = models.TextField(
        _("text"),
        help_text=_(
            "Markdown: *italic*, **bold**, [link](https://…), lists with - or 1. "
            "It is the plain-text part of the message as written."
        ),
    )
    body_html = models.TextField(
        _("text as HTML"), blank=True, editable=False, help_text=_("Rendered and sanitised.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    finished_at = models.DateTimeField(_("all delivered"), null=True, blank=True)
    last_error = models.CharField(_("last sending problem"), max_length=500, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("mailinglists:archive_post", args=[self.mailing_list.slug, self.pk])


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One post to one address: the unit that is sent, retried and never sent twice.

    `pending` rows are sent (again) once `next_attempt_at` has passed; `sent` rows are never
    touched again; `failed` rows gave up (refused for good, or too many attempts).
    `claimed_by`/`claimed_at` mark the rows a worker is sending, so two workers never send
    the same row; a claim older than the claim timeout is considered abandoned (crash).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        Subscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("address"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["post", "email"], name="delivery_unique")]
        indexes = [models.Index(fields=["post", "status"], name="delivery_post_status")]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.email} ({self.status})"


def default_reminder_days() -> list[int]:
    return list(DEFAULT_DAYS)


class ReminderPreference(models.Model):
    """Deadline reminders for one address: which States, how many days before."""

    subscriber = models.OneToOneField(
        Subscriber, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    opted_in = models.BooleanField(_("send me deadline reminders"), default=False)
    states = models.ManyToManyField(
        State, blank=True, related_name="+", verbose_name=_("States I follow")
    )
    days = models.JSONField(
        _("days before each deadline"),
        default=default_reminder_days,
        help_text=_("A list of whole numbers of days, e.g. [60, 30, 7, 1]."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return str(self.subscriber)


class ReminderLog(models.Model):
    """One reminder to one address. Its unique (email, key) makes each reminder go out once.

    The row is inserted *before* the e-mail is sent; a run whose insert fails on the
    constraint skips that reminder. `context` keeps what the e-mail says, so a failed send
    can be retried later without recomputing the deadline.
    """

    email = models.EmailField(_("address"))
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.CharField(
        _("reminder"), max_length=120, help_text=_("State, session, deadline kind and days.")
    )
    state_code = models.CharField(_("State"), max_length=40)
    due = models.DateTimeField(_("deadline"))
    context = models.JSONField(default=dict, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    # Set while a run is sending this row; a stale value means that run died.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["email", "key"], name="reminderlog_unique")]

    def __str__(self) -> str:
        return f"{self.email}: {self.key}"
