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


def _password_fingerprint(user: Any) -> str:
    # Binds the link to the password chosen at sign-up: signing up again with the same
    # unconfirmed address (new password) makes every earlier link worthless.
    return salted_hmac(EMAIL_VERIFICATION_SALT, user.password, algorithm="sha256").hexdigest()[:24]


def make_email_verification_token(user: Any) -> str:
    return _signer().sign_object(
        {"u": user.pk, "e": user.email.lower(), "p": _password_fingerprint(user)}
    )


def check_email_verification_token(token: str, user_lookup: Any) -> Any:
    """The user a valid token was made for; raises signing.BadSignature otherwise.

    `user_lookup(pk)` returns the user (or None): the caller chooses how to fetch and lock it.
    """
    payload = _signer().unsign_object(token, max_age=settings.UPRHUB_EMAIL_VERIFICATION_MAX_AGE)
    try:
        user_id, email, fingerprint = int(payload["u"]), str(payload["e"]), str(payload["p"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("Malformed verification token") from error
    user = user_lookup(user_id)
    if (
        user is None
        or user.email.strip().lower() != email
        or not constant_time_compare(_password_fingerprint(user), fingerprint)
    ):
        raise signing.BadSignature("The token is not for this account (any more)")
    return user


def email_verification_url(user: Any) -> str:
    token = make_email_verification_token(user)
    return absolute_url(reverse("accounts:verify_email", kwargs={"token": token}))


def set_password_url(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(get_user_model()._meta.pk.value_to_string(user)))
    token = set_password_token_generator.make_token(user)
    return absolute_url(reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token}))
