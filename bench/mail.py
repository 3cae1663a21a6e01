"""Benchmark list sending: one post to 5,000 subscribers through a local SMTP server.

    .venv/bin/python bench/mail.py                  # 5,000 subscribers
    .venv/bin/python bench/mail.py --subscribers 20000 --batch-size 500

In a temporary SQLite database (the embedded default) it creates the confirmed subscribers,
starts an aiosmtpd server on loopback that counts and discards what it receives (in a child
process, like a local MTA; `--in-process` runs it in a thread of this process instead), and
sends a post through the real path: `services.start_sending` (delivery rows, task enqueued
in the database backend), then django-tasks-db's worker (`db_worker --batch`) runs
`tasks.deliver_post`: one SMTP connection per batch, one autocommitted UPDATE per message.
Prints one JSON object; the target is 200 messages per second.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 200


class DiscardingHandler:
    def __init__(self) -> None:
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        with self.lock:
            self.received += len(envelope.rcpt_tos)
        return "250 OK"


# The child process: serve until stdin closes, then print how many recipients it received.
_SERVER = """
import sys
from aiosmtpd.controller import Controller
sys.path.insert(0, sys.argv[2])
from bench.mail import DiscardingHandler
handler = DiscardingHandler()
controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(handler.received, flush=True)
"""


class ThreadServer:
    def __init__(self, port: int) -> None:
        from aiosmtpd.controller import Controller

        self.handler = DiscardingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)
        self.controller.start()

    def finish(self) -> int:
        self.controller.stop()
        return self.handler.received


class ProcessServer:
    def __init__(self, port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(port), str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the SMTP server did not start")

    def finish(self) -> int:
        output, _ = self.process.communicate(timeout=60)
        return int(output.strip() or 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument(
        "--in-process", action="store_true", help="Run the SMTP server in a thread of this process."
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="uprhub-bench-mail-"))
    port = free_port()
    # Settings read the environment once, at start: configure everything before Django loads.
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "UPRHUB_DATA_DIR": str(workdir),
            "UPRHUB_AUTOLOAD": "false",
            "UPRHUB_TASKS_BACKEND": "database",
            "UPRHUB_EMAIL_HOST": "127.0.0.1",
            "UPRHUB_EMAIL_PORT": str(port),
            "UPRHUB_SITE_URL": "https://upr.example.org",
            "DJANGO_SETTINGS_MODULE": "uprhub.settings",
        }
    )
    if args.batch_size:
        os.environ["UPRHUB_LIST_BATCH_SIZE"] = str(args.batch_size)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from uprhub.mailinglists import services
    from uprhub.mailinglists.models import (
        DeliveryStatus,
        MailingList,
        Post,
        PostStatus,
        Subscriber,
        Subscription,
        SubscriptionStatus,
    )

    call_command("migrate", verbosity=0)
    mailing_list = MailingList.objects.get(slug="upr-updates")
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"reader{i:06d}@example.org", confirmed_at=now)
            for i in range(args.subscribers)
        ],
        batch_size=1000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=s,
                mailing_list=mailing_list,
                status=SubscriptionStatus.ACTIVE,
                requested_at=now,
                confirmed_at=now,
            )
            for s in subscribers
        ],
        batch_size=1000,
    )
    post = services.save_draft(
        actor=None,
        mailing_list=mailing_list,
        subject="UPR 54: stakeholder submissions are due on 25 June",
        body=(
            "# What to do now\n\nThe **stakeholder deadline** for the 54th session is near. "
            "Read [the calendar](https://upr.example.org/calendar/) and:\n\n"
            "1. check the OHCHR page;\n2. send your draft to the taskforce;\n"
            "3. join the call on Thursday.\n"
        ),
    )

    server = ThreadServer(port) if args.in_process else ProcessServer(port)
    try:
        started = time.perf_counter()
        recipients = services.start_sending(post, actor=None)  # commits and enqueues
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        seconds = time.perf_counter() - started
    finally:
        received = server.finish()

    post = Post.objects.get(pk=post.pk)
    sent = post.deliveries.filter(status=DeliveryStatus.SENT).count()
    result = {
        "subscribers": args.subscribers,
        "recipients": recipients,
        "sent": sent,
        "received_by_server": received,
        "smtp_server": "thread" if args.in_process else "process",
        "post_finished": post.status == PostStatus.SENT,
        "seconds": round(seconds, 2),
        "messages_per_second": round(sent / seconds, 1) if seconds else None,
        "target": TARGET,
        "meets_target": bool(seconds) and sent / seconds >= TARGET,
        "database": "sqlite",
    }
    print(json.dumps(result))
    return 0 if result["meets_target"] and sent == args.subscribers else 1


if __name__ == "__main__":
    sys.exit(main())
