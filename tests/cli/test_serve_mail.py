"""`uprhub serve` with its real worker: mail without a mail server is shown to the person
running it; mail to a server that is down arrives once the server is up.

Real processes on a fresh SQLite data directory (no bundled data), a real SMTP server.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import using_postgres
from tests.smtp import Mailbox, _free_port, _Handler

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(using_postgres(), reason="starts the server on the embedded SQLite"),
]

UPRHUB = shutil.which("uprhub", path=str(Path(sys.executable).parent))
if UPRHUB is None:
    pytestmark.append(pytest.mark.skip(reason="the uprhub script is not installed"))


MAKE_ACCOUNT = (
    "from uprhub.accounts import services as s; "
    "u = s.create_account(email='ana@example.org', full_name='Ana Souza', "
    "password='a long pass phrase 42', active=True); s.mark_email_verified(u)"
)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        UPRHUB_DATA_DIR=str(tmp_path / "data"),
        UPRHUB_AUTOLOAD="false",
        UPRHUB_TASKS_BACKEND="database",  # the real worker, not pytest's immediate default
        **extra,
    )
    return env


def _prepare(tmp_path: Path, env: dict[str, str]) -> None:
    run = {"env": env, "cwd": tmp_path, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([UPRHUB, "manage", "migrate", "-v", "0"], **run)
    assert migrated.returncode == 0, migrated.stderr
    made = subprocess.run([UPRHUB, "manage", "shell", "-c", MAKE_ACCOUNT], **run)
    assert made.returncode == 0, made.stderr


class Server:
    """`uprhub serve` on a free port, its output (and its worker's) collected line by line."""

    def __init__(self, tmp_path: Path, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [UPRHUB, "serve", "--port", str(self.port), "--workers", "1"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return self.output()
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not printed within {timeout} s:\n{self.output()}")

    def ask_password_reset(self, email: str) -> str:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = f"http://127.0.0.1:{self.port}/accounts/password/reset/"
        with opener.open(url, timeout=30) as response:
            form = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email})
        request = urllib.request.Request(url, data=data.encode(), headers={"Referer": url})
        with opener.open(request, timeout=30) as response:
            return response.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _outbox_states(tmp_path: Path, env: dict[str, str]) -> str:
    code = (
        "from uprhub.core.models import OutboxMessage as M; "
        "print([(m.to, m.status) for m in M.objects.order_by('pk')])"
    )
    run = subprocess.run(
        [UPRHUB, "manage", "shell", "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


def test_without_a_mail_server_serve_says_so_and_prints_the_mail(tmp_path):
    env = _env(tmp_path)  # no UPRHUB_EMAIL_HOST
    _prepare(tmp_path, env)
    server = Server(tmp_path, env)
    try:
        started = server.wait_for("Press Ctrl+C to stop.")
        assert f"http://localhost:{server.port}/" in started.splitlines()[0]
        assert "No mail server is configured (UPRHUB_EMAIL_HOST is not set)" in started
        assert f"http://localhost:{server.port}/outbox/" in started
        assert "uprhub createadmin you@example.org" in started

        page = server.ask_password_reset("ana@example.org")
        assert "we are sending it a link" in page
        printed = server.wait_for("Subject: Choose a new UPR Hub password")
        assert "To: ana@example.org" in printed
        assert "Dear Ana Souza," in printed
        assert f"http://localhost:{server.port}/accounts/password/reset/" in printed
    finally:
        server.stop()
    assert _outbox_states(tmp_path, env) == "[('ana@example.org', 'captured')]"


def test_mail_waits_while_the_server_is_down_and_the_worker_sends_it_later(tmp_path):
    smtp_port = _free_port()
    env = _env(
        tmp_path,
        UPRHUB_EMAIL_HOST="127.0.0.1",
        UPRHUB_EMAIL_PORT=str(smtp_port),
        UPRHUB_EMAIL_TIMEOUT="2",
        UPRHUB_EMAIL_RETRY_SECONDS="1",
    )
    _prepare(tmp_path, env)
    server = Server(tmp_path, env)
    mailbox = Mailbox(port=smtp_port)
    controller = Controller(_Handler(mailbox), hostname="127.0.0.1", port=smtp_port)
    try:
        started = server.wait_for("Press Ctrl+C to stop.")
        assert "No mail server is configured" not in started
        assert "we are sending it a link" in server.ask_password_reset("ana@example.org")
        server.wait_for("mail server unavailable")  # the worker tried, and will again
        assert mailbox.messages == []
        assert _outbox_states(tmp_path, env) == "[('ana@example.org', 'pending')]"

        controller.start()  # the mail server comes back
        deadline = time.monotonic() + 90
        while not mailbox.messages and time.monotonic() < deadline:
            time.sleep(0.3)
        mail = mailbox.only()
        assert mail.rcpt_tos == ["ana@example.org"]
        assert mail.text.startswith("Dear Ana Souza,")
        time.sleep(1)
        assert len(mailbox.messages) == 1  # sent once
    finally:
        server.stop()
        if controller.loop.is_running():
            controller.stop()
    assert _outbox_states(tmp_path, env) == "[('ana@example.org', 'sent')]"
