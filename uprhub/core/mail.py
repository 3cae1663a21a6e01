"""The one way UPR Hub sends e-mail.

Everything that becomes a header (subject, addresses, extra headers) is refused if it holds
a carriage return or line feed, so user input can never add a `Bcc:` line.
`schedule_mail` renders a template and puts the message in the outbox (`core.outbox`) within
the current transaction: no message announces something that was rolled back, and the
background worker sends it, retrying while the mail server is down.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
from collections.abc import Iterable, Mapping
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

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


def server_address_url(host: str, port: int) -> str:
    """The URL `uprhub serve --host H --port P` is reached at, as it announces it."""
    if host in {"", "127.0.0.1", "0.0.0.0", "::"}:  # noqa: S104 (names, not a bind)
        host = "localhost"
    elif ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def use_server_address(host: str, port: int) -> str:
    """Links in e-mail: UPRHUB_SITE_URL if set, else the address the server was started on.

    Set in this process's settings and exported to the environment, so the worker (and any
    other process the server starts) builds the same links instead of a default that points
    nowhere. Returns the site URL in effect.
    """
    from uprhub.settings.env import export_site_url, site_url_is_set

    if not site_url_is_set():
        url = server_address_url(host, port)
        export_site_url(url)
        settings.UPRHUB_SITE_URL = url
    return settings.UPRHUB_SITE_URL


def absolute_url(path: str) -> str:
    """A link for an e-mail, built from UPRHUB_SITE_URL (never from a request's Host)."""
    return f"{settings.UPRHUB_SITE_URL}{path}"


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


def send_mail_message(
    to: str | Iterable[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Send one message now, bypassing the outbox (no retry, no record): for tools only;
    people's mail goes through `schedule_mail` / `queue_mail`. Raises HeaderInjectionError
    before anything is sent."""
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        raise ValueError("No recipient")
    check_message(recipients, subject, headers)
    message = Message(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers=dict(headers or {}),
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def render_mail(template: str, context: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """Render `emails/<template>_subject.txt`, `.txt` and, if it exists, `.html`."""
    context = {"site_url": settings.UPRHUB_SITE_URL, **context}
    # Templates may wrap the subject over lines; a subject is one line.
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    try:
        html: str | None = render_to_string(f"emails/{template}.html", context)
    except TemplateDoesNotExist:
        html = None
    return subject, text, html


def greeting_name(name: str | None) -> str:
    """The name a message greets its reader by ("Dear Ana,"), or "" for a neutral greeting.

    Callers pass a name only when it is known to belong to the address: an account's name,
    or an application a coordinator has read or whose owner confirmed it. A name just typed
    into a public form with an unconfirmed address is never echoed (the form would relay
    spam). Never an e-mail address: a name holding one greets neutrally instead.
    """
    name = " ".join((name or "").split())
    return "" if not name or "@" in name else name


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    kind: str = "",
) -> None:
    """Put an already rendered message in the outbox; the worker sends it after commit."""
    from .outbox import queue

    queue(to, subject, text, html, headers, kind=kind)


def schedule_mail(
    to: str, template: str, context: Mapping[str, Any], *, name: str | None = None
) -> None:
    """Render now (so errors surface in the caller), queue in the outbox, send after commit.

    `name` is the recipient's name for the greeting (`emails/_greeting.txt`); without one
    the message greets neutrally. The address is checked here too: a bad address fails the
    use case instead of being discovered by the worker. Delivery failures are retried by the
    worker and shown on the Outbox page, never raised here: the user's action is saved.
    """
    _check_header("To", to)
    subject, text, html = render_mail(template, {**context, "recipient_name": greeting_name(name)})
    queue_mail(to, subject, text, html, kind=template)
