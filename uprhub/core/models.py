"""The transactional outbox: every one-to-one e-mail (verification, password reset,
taskforce messages, list confirmations, coordinator notices) as a row that the background
worker sends, retries and records. List posts keep their own per-recipient log
(`mailinglists.Delivery`); both follow the same rules (`uprhub.core.outbox`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Queued")
    SENT = "sent", _("Sent")
    #: No SMTP server is configured: written to the console and kept here, not delivered.
    CAPTURED = "captured", _("Not sent (no mail server): shown on the console")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """One message to one address: sent, retried and never sent twice (see core/outbox.py).

    The body is erased once a real mail server has accepted the message: it may hold a
    sign-in or password link, which nobody needs to read again here.
    """

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    #: Which e-mail template made it ("verify_email"), for the outbox page and the logs.
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    status = models.CharField(
        _("state"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.kind or 'mail'} #{self.pk} ({self.status})"
