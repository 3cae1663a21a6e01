"""Fixtures for the mailing-list tests: the accounts fixtures (roles, SMTP) plus lists and a
mail server that can be stopped and started again on the same port."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from tests.accounts.fixtures import *  # noqa: F403
from tests.smtp import Mailbox, Received, _free_port

from .factories import MailingListFactory


@pytest.fixture(autouse=True)
def site(settings) -> str:
    # Links in e-mails are built from UPRHUB_SITE_URL; the test client answers "testserver".
    settings.UPRHUB_SITE_URL = "http://testserver"
    settings.UPRHUB_LIST_RETRY_SECONDS = 60
    return settings.UPRHUB_SITE_URL


@pytest.fixture
def public_list(db):
    return MailingListFactory(slug="housing-news", name="Housing news", visibility="public")


@pytest.fixture
def members_list(db):
    return MailingListFactory(slug="taskforce-only", name="Taskforce only", visibility="members")


class _StoppingHandler:
    """Accepts messages; once `stop_after` were accepted, answers 421 and shuts the server
    down — a mail server going away in the middle of a batch."""

    def __init__(self, server: FlakyServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.server.tempfail:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        flaky = self.server
        with flaky.lock:
            if flaky.stop_after is not None and flaky.accepted >= flaky.stop_after:
                if not flaky.stopping:
                    flaky.stopping = True
                    threading.Thread(target=flaky.controller.stop, daemon=True).start()
                return "421 4.3.2 Shutting down"
            flaky.accepted += 1
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        flaky.mailbox.add(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class FlakyServer:
    mailbox: Mailbox
    stop_after: int | None = None
    tempfail: set[str] = field(default_factory=set)
    accepted: int = 0
    stopping: bool = False
    controller: Controller | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        self.stopping = False
        self.controller = Controller(
            _StoppingHandler(self), hostname=self.mailbox.host, port=self.mailbox.port
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None and self.controller._thread is not None:
            self.controller.stop()

    def wait_stopped(self, timeout: float = 5.0) -> None:
        """Until the handler's own stop() has finished (the port is free again)."""
        deadline = time.monotonic() + timeout
        while self.controller is not None and self.controller._thread is not None:
            if time.monotonic() > deadline:
                raise TimeoutError("the SMTP server did not stop")
            time.sleep(0.01)

    def count_by_address(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for received in self.mailbox.messages:
            for address in received.rcpt_tos:
                counts[address] = counts.get(address, 0) + 1
        return counts


@pytest.fixture
def flaky_smtp(settings) -> Iterator[FlakyServer]:
    server = FlakyServer(mailbox=Mailbox(port=_free_port()))
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.mailbox.host, "port": server.mailbox.port, "timeout": 5},
        }
    }
    try:
        yield server
    finally:
        if server.stopping:
            server.wait_stopped()
        server.stop()
