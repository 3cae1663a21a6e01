"""The mailing-list commands' error messages come in the active language."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from uprhub.mailinglists import services

from .factories import PostFactory, coordinator, subscribe_many

pytestmark = pytest.mark.django_db


def test_deliver_posts_error_in_french(flaky_smtp, public_list):
    subscribe_many(public_list, 1)
    services.start_sending(PostFactory(mailing_list=public_list), actor=coordinator())
    flaky_smtp.stop()
    with translation.override("fr"), pytest.raises(CommandError, match="serveur de messagerie"):
        call_command("deliver_posts", verbosity=0)


def test_send_reminders_error_in_spanish():
    with translation.override("es"), pytest.raises(CommandError, match="zona horaria"):
        call_command("send_reminders", "--now", "2026-06-18T22:30:00")
