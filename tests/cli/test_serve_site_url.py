"""Links in e-mail point at the site: UPRHUB_SITE_URL, or else where `uprhub serve` listens.

The end-to-end test starts the real server (and through it the real worker) on a fresh
SQLite data directory with no UPRHUB_SITE_URL, and reads what arrives at a real SMTP server:
a password-reset mail (sent by the web process) and a list post (sent by the worker, a
separate process that must inherit the address).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import using_postgres
from tests.smtp import Mailbox, Received, smtp_controller  # noqa: F401 (fixture)
from uprhub.core.mail import server_address_url, use_server_address

UPRHUB = shutil.which("uprhub", path=str(Path(sys.executable).parent))

SETUP = """
from django.contrib.auth import get_user_model
from django.utils import timezone
from uprhub.mailinglists import services
from uprhub.mailinglists.models import MailingList, Post, Subscriber, Subscription
from uprhub.accounts import services as accounts
ana = get_user_model().objects.create_user("ana", "ana@example.org", "a long pass phrase 42")
accounts.set_role(ana, "coordinator", actor=None)
ml = MailingList.objects.create(slug="news", name="News", visibility="public")
sub = Subscriber.objects.create(email="reader@example.org", confirmed_at=timezone.now())
Subscription.objects.create(
    subscriber=sub, mailing_list=ml, status="active",
    requested_at=timezone.now(), confirmed_at=timezone.now(),
)
post = Post.objects.create(mailing_list=ml, subject="Hello", body="Hi **all**.")
services.start_sending(post, actor=get_user_model().objects.get(pk=ana.pk))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(mailbox: Mailbox, address: str, timeout: float = 90) -> Received:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := mailbox.to(address):
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no mail for {address} within {timeout} s")


@pytest.mark.skipif(using_postgres(), reason="starts the server on the embedded SQLite default")
@pytest.mark.skipif(UPRHUB is None, reason="the uprhub script is not installed (pip install -e .)")
def test_mail_links_use_the_address_serve_was_started_on(tmp_path, smtp_controller):  # noqa: F811
    smtp_controller.clear()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        UPRHUB_DATA_DIR=str(tmp_path / "data"),
        UPRHUB_AUTOLOAD="false",
        UPRHUB_TASKS_BACKEND="database",  # the real worker, not pytest's immediate default
        UPRHUB_EMAIL_HOST=smtp_controller.host,
        UPRHUB_EMAIL_PORT=str(smtp_controller.port),
    )
    run = {"env": env, "cwd": tmp_path, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([UPRHUB, "manage", "migrate", "-v", "0"], **run)
    assert migrated.returncode == 0, migrated.stderr
    prepared = subprocess.run([UPRHUB, "manage", "shell", "-c", SETUP], **run)
    assert prepared.returncode == 0, prepared.stderr

    port = _free_port()
    site = f"http://localhost:{port}"
    server = subprocess.Popen(
        [UPRHUB, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert f"{site}/" in server.stdout.readline()
        # The web process: a password-reset mail.
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        reset_url = f"http://127.0.0.1:{port}/accounts/password/reset/"
        with opener.open(reset_url, timeout=30) as response:
            form = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": "ana@example.org"})
        request = urllib.request.Request(
            reset_url, data=data.encode(), headers={"Referer": reset_url}
        )
        with opener.open(request, timeout=30) as response:
            assert response.status == 200
        reset = _wait_for(smtp_controller, "ana@example.org")
        # The worker: the list post queued before the server started.
        post = _wait_for(smtp_controller, "reader@example.org")
    finally:
        server.terminate()
        server.wait(timeout=20)

    reset_links = reset.links()
    assert reset_links and all(link.startswith(f"{site}/") for link in reset_links), reset_links
    assert any("/accounts/password/reset/" in link for link in reset_links)
    post_links = post.links()
    assert any(link.startswith(f"{site}/lists/u/") for link in post_links), post_links
    assert "localhost:8000" not in post.text + reset.text
    assert post.message["List-Unsubscribe"].startswith(f"<{site}/lists/u/")
    assert post.message["List-Archive"] == f"<{site}/lists/archive/news/>"


def test_configured_site_url_wins(monkeypatch, settings):
    monkeypatch.setenv("UPRHUB_SITE_URL", "https://upr.example.org")
    settings.UPRHUB_SITE_URL = "https://upr.example.org"
    assert use_server_address("0.0.0.0", 8080) == "https://upr.example.org"  # noqa: S104
    assert os.environ["UPRHUB_SITE_URL"] == "https://upr.example.org"
    assert settings.UPRHUB_SITE_URL == "https://upr.example.org"


def test_unset_site_url_takes_the_server_address(monkeypatch, settings):
    monkeypatch.delenv("UPRHUB_SITE_URL", raising=False)
    settings.UPRHUB_SITE_URL = "http://localhost:8000"
    assert use_server_address("upr.internal", 8080) == "http://upr.internal:8080"
    # Exported for the worker and any other process the server starts.
    assert os.environ["UPRHUB_SITE_URL"] == "http://upr.internal:8080"
    assert settings.UPRHUB_SITE_URL == "http://upr.internal:8080"
    # (monkeypatch puts the environment back after the test.)


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://localhost:8000"),
        ("0.0.0.0", "http://localhost:8000"),  # noqa: S104
        ("::1", "http://[::1]:8000"),
        ("upr.example.org", "http://upr.example.org:8000"),
    ],
)
def test_server_address_url(host, url):
    assert server_address_url(host, 8000) == url
