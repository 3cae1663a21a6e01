"""The one way UPR Hub sends e-mail.

Everything that becomes a header (subject, addresses, extra headers) is refused if it holds
a carriage return or line feed (`uprhub.core.mailmessage`), so user input can never add a
`Bcc:` line. `schedule_mail` renders a template and puts the message in the outbox
(`uprhub.core.outbox`) within the current transaction: no message announces something that
was rolled back, and the background worker sends it, retrying while the mail server is down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from .mailmessage import (  # noqa: F401 (the names other apps import from here)
    URL_LIST_HEADERS,
    HeaderInjectionError,
    Message,
    _check_header,
    check_message,
    classify,
    describe,
)
from .outbox import queue


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
