"""The management commands and `uprhub worker`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from uprhub import cli
from uprhub.mailinglists import services
from uprhub.mailinglists.models import PostStatus

from .factories import PostFactory, coordinator, subscribe_many

pytestmark = pytest.mark.django_db


def test_deliver_posts_sends_what_is_pending(smtp_server, public_list):
    subscribe_many(public_list, 3)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())  # no on_commit in this test: nothing sent yet
    assert smtp_server.messages == []
    out = StringIO()
    call_command("deliver_posts", stdout=out)
    report = json.loads(out.getvalue())
    assert report["sent"] == 3 and report["finished"]
    post.refresh_from_db()
    assert post.status == PostStatus.SENT
    call_command("deliver_posts", stdout=out)  # nothing left: no output, no error
    assert len(smtp_server.messages) == 3


def test_deliver_posts_fails_loudly_when_the_server_is_down(flaky_smtp, public_list):
    subscribe_many(public_list, 2)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    flaky_smtp.stop()
    with pytest.raises(CommandError, match="wait for the mail server"):
        call_command("deliver_posts", verbosity=0)
    assert post.deliveries.filter(status="pending").count() == 2


def test_deliver_posts_enqueue(smtp_server, public_list):
    subscribe_many(public_list, 2)
    post = PostFactory(mailing_list=public_list)
    services.start_sending(post, actor=coordinator())
    call_command("deliver_posts", "--enqueue", stdout=StringIO())  # immediate backend: runs
    assert len(smtp_server.messages) == 2


def test_send_reminders_refuses_a_naive_time():
    with pytest.raises(CommandError):
        call_command("send_reminders", "--now", "2026-06-18T22:30:00")


def test_uprhub_worker_runs_db_worker_after_preparing_the_database(monkeypatch):
    calls: list = []
    monkeypatch.setattr(
        "uprhub.site.bootstrap.prepare_database", lambda **kwargs: calls.append("prepare")
    )
    from django_tasks_db.management.commands.db_worker import Command

    monkeypatch.setattr(Command, "run_from_argv", lambda self, argv: calls.append(argv))
    assert cli.main(["worker", "--batch"]) == 0
    assert calls == ["prepare", ["uprhub", "worker", "--batch"]]


def test_uprhub_worker_help_names_the_alias(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["worker", "--help"])
    assert exit_.value.code == 0
    usage = capsys.readouterr().out
    assert usage.startswith("usage: uprhub worker ")
    assert "db_worker" not in usage.splitlines()[0]
