"""A real SMTP server for tests: aiosmtpd on loopback, keeping every message it receives.

Import the `smtp_server` fixture into a conftest (`from tests.smtp import smtp_server`):
it points Django's SMTP backend at the server and empties the mailbox before each test.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    #: The message exactly as it came over the wire (CRLF line ends, folding, encoding).
    raw: bytes = b""

    @property
    def raw_headers(self) -> bytes:
        return self.raw.split(b"\r\n\r\n", 1)[0]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""

    @property
    def html(self) -> str | None:
        body = self.message.get_body(preferencelist=("html",))
        return body.get_content() if body is not None else None

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"]+", self.text)


@dataclass
class Mailbox:
    messages: list[Received] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def add(self, received: Received) -> None:
        with self._lock:
            self.messages.append(received)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.rcpt_tos)]

    def only(self) -> Received:
        assert len(self.messages) == 1, [m.subject for m in self.messages]
        return self.messages[0]


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.mailbox.add(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content)
        )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_controller():
    # Tests run in parallel (pytest-xdist): another worker may take the free port between
    # finding it and binding it, so try a few.
    for attempt in range(5):
        mailbox = Mailbox(port=_free_port())
        controller = Controller(_Handler(mailbox), hostname=mailbox.host, port=mailbox.port)
        try:
            controller.start()
            break
        except OSError:
            if attempt == 4:
                raise
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(smtp_controller: Mailbox, settings) -> Mailbox:
    """Send this test's e-mail over SMTP to a local server; returns its mailbox."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_controller.host,
                "port": smtp_controller.port,
                "timeout": 5,
            },
        }
    }
    smtp_controller.clear()
    return smtp_controller
