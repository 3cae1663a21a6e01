"""Signed, single-purpose tokens for the links in list e-mails.

Each purpose has its own salt, so a confirmation token cannot unsubscribe anyone and an
unsubscribe token cannot confirm a subscription or open the preferences page. Tokens carry
row ids plus a short keyed hash of the address (not the address itself: links get forwarded
and logged), so a token stops working if its row now belongs to another address.

* confirm — expires (UPRHUB_LIST_CONFIRM_MAX_AGE) and carries the subscriber's current nonce,
  so only the latest confirmation link works and a used one is dead.
* unsubscribe, reminders-off, preferences — do not expire: RFC 8058 one-click links must work
  in a message read months later. They only ever let the address's owner do what the
  message itself offers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from uprhub.core.mail import absolute_url

from .models import ReminderPreference, Subscriber, Subscription

CONFIRM = "uprhub.mailinglists.confirm"
UNSUBSCRIBE = "uprhub.mailinglists.unsubscribe"
REMINDERS_OFF = "uprhub.mailinglists.reminders-off"
PREFERENCES = "uprhub.mailinglists.preferences"

#: Default lifetime of a confirmation link (3 days, like account verification links).
DEFAULT_CONFIRM_MAX_AGE = 3 * 24 * 60 * 60


class InvalidToken(Exception):
    """Bad signature, expired, for another purpose or for an address that changed."""


def confirm_max_age() -> int:
    return int(getattr(settings, "UPRHUB_LIST_CONFIRM_MAX_AGE", DEFAULT_CONFIRM_MAX_AGE))


def _address_hash(purpose: str, email: str) -> str:
    return salted_hmac(purpose, email.strip().lower(), algorithm="sha256").hexdigest()[:16]


def _sign(purpose: str, payload: dict[str, Any], *, timestamped: bool = False) -> str:
    signer: signing.Signer = (
        signing.TimestampSigner(salt=purpose) if timestamped else signing.Signer(salt=purpose)
    )
    return signer.sign_object(payload)


def _unsign(purpose: str, token: str, *, max_age: int | None = None) -> dict[str, Any]:
    try:
        if max_age is None:
            payload = signing.Signer(salt=purpose).unsign_object(token)
        else:
            payload = signing.TimestampSigner(salt=purpose).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError) as error:  # SignatureExpired is a BadSignature
        raise InvalidToken(str(error)) from error
    if not isinstance(payload, dict):
        raise InvalidToken("Malformed token")
    return payload


def _int(payload: dict[str, Any], key: str) -> int:
    try:
        return int(payload[key])
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidToken("Malformed token") from error


def _check_address(purpose: str, payload: dict[str, Any], email: str) -> None:
    if not constant_time_compare(str(payload.get("h", "")), _address_hash(purpose, email)):
        raise InvalidToken("The token is for another address")


# ---------------------------------------------------------------- confirm


def make_confirm_token(subscriber: Subscriber) -> str:
    return _sign(
        CONFIRM,
        {
            "b": subscriber.pk,
            "h": _address_hash(CONFIRM, subscriber.email),
            "n": subscriber.confirm_nonce,
        },
        timestamped=True,
    )


def read_confirm_token(token: str) -> tuple[int, dict[str, Any]]:
    """(subscriber id, payload); the caller locks the row and calls `check_confirm_token`."""
    payload = _unsign(CONFIRM, token, max_age=confirm_max_age())
    return _int(payload, "b"), payload


def check_confirm_token(payload: dict[str, Any], subscriber: Subscriber) -> None:
    _check_address(CONFIRM, payload, subscriber.email)
    nonce = str(payload.get("n", ""))
    if not nonce or not constant_time_compare(nonce, subscriber.confirm_nonce):
        raise InvalidToken("The link was already used or a newer one was sent")


def confirm_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("mailinglists:confirm", args=[make_confirm_token(subscriber)]))


# ---------------------------------------------------------------- unsubscribe (one list)


def make_unsubscribe_token(subscription: Subscription, email: str) -> str:
    return _sign(UNSUBSCRIBE, {"s": subscription.pk, "h": _address_hash(UNSUBSCRIBE, email)})


def read_unsubscribe_token(token: str) -> Subscription:
    payload = _unsign(UNSUBSCRIBE, token)
    subscription = (
        Subscription.objects.select_related("subscriber", "mailing_list")
        .filter(pk=_int(payload, "s"))
        .first()
    )
    if subscription is None:
        raise InvalidToken("No such subscription")
    _check_address(UNSUBSCRIBE, payload, subscription.subscriber.email)
    return subscription


def unsubscribe_url(subscription: Subscription, email: str) -> str:
    token = make_unsubscribe_token(subscription, email)
    return absolute_url(reverse("mailinglists:unsubscribe", args=[token]))


# ---------------------------------------------------------------- reminders off


def make_reminders_off_token(preference: ReminderPreference, email: str) -> str:
    return _sign(REMINDERS_OFF, {"r": preference.pk, "h": _address_hash(REMINDERS_OFF, email)})


def read_reminders_off_token(token: str) -> ReminderPreference:
    payload = _unsign(REMINDERS_OFF, token)
    preference = (
        ReminderPreference.objects.select_related("subscriber")
        .filter(pk=_int(payload, "r"))
        .first()
    )
    if preference is None:
        raise InvalidToken("No such preference")
    _check_address(REMINDERS_OFF, payload, preference.subscriber.email)
    return preference


def reminders_off_url(preference: ReminderPreference, email: str) -> str:
    token = make_reminders_off_token(preference, email)
    return absolute_url(reverse("mailinglists:reminders_off", args=[token]))


# ---------------------------------------------------------------- preferences


def make_preferences_token(subscriber: Subscriber) -> str:
    return _sign(
        PREFERENCES, {"b": subscriber.pk, "h": _address_hash(PREFERENCES, subscriber.email)}
    )


def read_preferences_token(token: str) -> Subscriber:
    payload = _unsign(PREFERENCES, token)
    subscriber = Subscriber.objects.select_related("user").filter(pk=_int(payload, "b")).first()
    if subscriber is None:
        raise InvalidToken("No such subscriber")
    _check_address(PREFERENCES, payload, subscriber.email)
    return subscriber


def preferences_url(subscriber: Subscriber) -> str:
    token = make_preferences_token(subscriber)
    return absolute_url(reverse("mailinglists:preferences_token", args=[token]))
