"""uprhub manage send_reminders [--now ISO] [--enqueue]

Sends the deadline reminders due now, each exactly once per address (safe to run hourly).
Schedule it with cron, e.g. `0 * * * * uprhub manage send_reminders`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from uprhub.mailinglists.reminders import send_reminders
from uprhub.mailinglists.tasks import send_reminders_task


class Command(BaseCommand):
    help = _("Send the deadline reminders that are due (each once per address).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help=_("Pretend it is this moment (ISO 8601, with zone)."))
        parser.add_argument(
            "--enqueue", action="store_true", help=_("Hand the run to the worker instead.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError(_("--now needs an ISO 8601 moment with a time zone"))
        if options["enqueue"]:
            result = send_reminders_task.enqueue(now.isoformat() if now else None)
            self.stdout.write(_("Enqueued reminder run %(id)s") % {"id": result.id})
            return
        report = send_reminders(now)
        self.stdout.write(json.dumps(report.__dict__))
        if report.connection_error:
            raise CommandError(
                _("Mail server unavailable: %(error)s") % {"error": report.connection_error}
            )
