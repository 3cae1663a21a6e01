"""An e-mail message as UPR Hub writes it, and what an SMTP server's errors mean.

Everything that becomes a header (subject, addresses, extra headers) is refused if it holds
a carriage return or line feed (`check_message`), so user input can never add a `Bcc:` line.
`Message` keeps RFC 2369 list headers on one unencoded line. `describe` and `classify` turn
an SMTP error into the line kept in a delivery log and the decision to retry or give up; the
list-post log (`uprhub.mailinglists.delivery`) and the outbox (`uprhub.core.outbox`) share them.
"""

from __future__ import annotations

import email.policy
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

_FORBIDDEN_IN_HEADERS = ("\r", "\n", "\x00")


class HeaderInjectionError(ValueError):
    """A header value (subject, address, extra header) contained a line break."""


def _check_header(name: str, value: str) -> None:
    if any(char in value for char in _FORBIDDEN_IN_HEADERS):
        raise HeaderInjectionError(f"Line break in e-mail header {name!r}")


#: RFC 2369 headers: one or more <URL>s. Mail clients read the URL out of the raw header, so
#: it must stay plain ASCII on one line (RFC 5322 allows up to 998 characters).
URL_LIST_HEADERS = frozenset(
    {"list-archive", "list-help", "list-owner", "list-post", "list-subscribe", "list-unsubscribe"}
)
_MAX_HEADER_LINE = 998


class _UnfoldedUrlHeader(UnstructuredHeader):
    """Written as given, never folded or RFC 2047-encoded.

    The standard library folds an unstructured header at 78 characters and, when one "word"
    (a signed unsubscribe URL) is longer than that, turns the whole value into
    `=?utf-8?q?…?=` encoded words, which one-click unsubscribe (RFC 8058) cannot use.
    """

    def fold(self, *, policy: email.policy.Policy) -> str:
        value = str(self)
        line = f"{self.name}: {value}"
        if not value.isascii() or len(line) > _MAX_HEADER_LINE:
            raise ValueError(f"E-mail header {self.name!r} must be ASCII and under 998 chars")
        return line + policy.linesep


def _header_factory() -> HeaderRegistry:
    registry = HeaderRegistry()
    for name in URL_LIST_HEADERS:
        registry.map_to_type(name, _UnfoldedUrlHeader)
    return registry


_HEADER_FACTORY = _header_factory()


class Message(EmailMultiAlternatives):
    """Django's message, with RFC 2369 list headers kept on one unencoded line."""

    def message(self, *, policy: email.policy.Policy = email.policy.default) -> Any:
        # Whatever policy the backend asks for (SMTP: CRLF, 78 columns) is kept; only the
        # class of the list headers changes.
        return super().message(policy=policy.clone(header_factory=_HEADER_FACTORY))


def check_message(
    recipients: Iterable[str], subject: str, headers: Mapping[str, str] | None = None
) -> None:
    """Raise HeaderInjectionError if anything that becomes a header holds a line break."""
    _check_header("Subject", subject)
    for address in recipients:
        _check_header("To", address)
    for name, value in (headers or {}).items():
        _check_header(name, name)
        _check_header(name, value)


def describe(error: BaseException) -> str:
    """An SMTP error in one line, as kept in the delivery logs."""
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
        return f"{error.smtp_code} {text}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in error.recipients.values()
        )
    return f"{type(error).__name__}: {error}"


def classify(error: BaseException) -> str:
    """'connection' (stop the run), 'transient' (retry this message) or 'permanent'."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return "transient" if any(400 <= code < 500 for code in codes) else "permanent"
    if isinstance(error, smtplib.SMTPResponseException):
        if error.smtp_code == 421:  # "service not available, closing channel"
            return "connection"
        return "transient" if 400 <= error.smtp_code < 500 else "permanent"
    # SMTPServerDisconnected, timeouts, refused connections, resets: the server, not the row.
    return "connection"


@dataclass(frozen=True)
class RetryPolicy:
    """How a message that failed is tried again, for the outbox and the list deliveries alike:
    60 s, 120 s, 240 s … (``seconds_setting``) after the 1st, 2nd, 3rd failure, at most an
    hour apart, until ``attempts_setting`` attempts."""

    attempts_setting: str
    default_attempts: int
    seconds_setting: str
    max_delay: timedelta = timedelta(hours=1)

    def max_attempts(self) -> int:
        return int(getattr(settings, self.attempts_setting, self.default_attempts))

    def delay(self, attempts: int) -> timedelta:
        base = int(getattr(settings, self.seconds_setting, 60))
        return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), self.max_delay)

    def after_failure(
        self, attempts_before: int, error: str, *, permanent: bool, pending: str, failed: str
    ) -> tuple[dict[str, Any], bool]:
        """The row's new fields after a failed attempt (released by its worker), and whether
        it gave up: a permanent refusal or the last attempt."""
        attempts = attempts_before + 1
        gave_up = permanent or attempts >= self.max_attempts()
        fields = {
            "status": failed if gave_up else pending,
            "attempts": attempts,
            "last_error": error[:500],
            "next_attempt_at": None if gave_up else timezone.now() + self.delay(attempts),
            "claimed_by": "",
            "claimed_at": None,
        }
        return fields, gave_up
