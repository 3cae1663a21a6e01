"""Signed, single-purpose tokens for links in e-mails.

Each purpose has its own salt, so a token made for one (say, verifying an address) is
worthless for another (setting a password).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from uprhub.core.mail import absolute_url

EMAIL_VERIFICATION_SALT = "uprhub.accounts.verify-email"


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    """For the link in a taskforce approval: choose a first password.

    Like password-reset tokens it stops working once the password changes or the person
    logs in, but its own salt keeps it from being usable as a reset token (and vice versa).
    """

    key_salt = "uprhub.accounts.tokens.SetPasswordTokenGenerator"


set_password_token_generator = SetPasswordTokenGenerator()


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT)


def _state_hash(user: Any) -> str:
    """A keyed hash of what the link may act on: the account, its address, its password and
    whether the address is verified yet.

    The token carries this hash, never the address (links get forwarded, scanned and logged).
    Signing up again with the same unconfirmed address (new password) or confirming it makes
    every earlier link worthless, so a link found later in a log is dead.
    """
    profile = getattr(user, "profile", None)
    verified_at = getattr(profile, "email_verified_at", None)
    state = "|".join(
        [
            str(user.pk),
            user.email.strip().lower(),
            user.password,
            verified_at.isoformat() if verified_at else "",
        ]
    )
    return salted_hmac(EMAIL_VERIFICATION_SALT, state, algorithm="sha256").hexdigest()[:32]


def make_email_verification_token(user: Any) -> str:
    """An opaque, timestamped token: the account id and `_state_hash`, signed."""
    return _signer().sign_object({"u": user.pk, "h": _state_hash(user)})


def check_email_verification_token(token: str, user_lookup: Any) -> Any:
    """The user a valid token was made for; raises signing.BadSignature otherwise.

    `user_lookup(pk)` returns the user (or None): the caller chooses how to fetch and lock it.
    """
    payload = _signer().unsign_object(token, max_age=settings.UPRHUB_EMAIL_VERIFICATION_MAX_AGE)
    try:
        user_id, state = int(payload["u"]), str(payload["h"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("Malformed verification token") from error
    user = user_lookup(user_id)
    if user is None or not constant_time_compare(_state_hash(user), state):
        raise signing.BadSignature("The token is not for this account (any more)")
    return user


def email_verification_url(user: Any) -> str:
    # The token is in the link's path because a link in an e-mail must carry it; the page
    # only shows a button that POSTs it in the body to a token-free address, and the paths
    # Django logs are masked (uprhub.core.logging).
    token = make_email_verification_token(user)
    return absolute_url(reverse("accounts:verify_email", kwargs={"token": token}))


def set_password_url(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(get_user_model()._meta.pk.value_to_string(user)))
    token = set_password_token_generator.make_token(user)
    return absolute_url(reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token}))
