"""uprhub manage deliver_outbox [--enqueue]

Sends the queued one-to-one e-mail that is due (verification, password reset, taskforce
and list confirmations …): after an SMTP outage, a crash, or when no worker ran. A message
marked sent is never sent again, so running it any time is safe. Schedule it with cron, e.g.
`*/10 * * * * uprhub manage deliver_outbox --enqueue`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.core import outbox


class Command(BaseCommand):
    help = _("Send the queued e-mail that is due (safe to repeat: nothing is sent twice).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help=_("Hand the run to the worker instead.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = outbox.deliver_outbox.enqueue()
            self.stdout.write(_("Enqueued %(id)s") % {"id": result.id})
            return
        counts = outbox.deliver()
        if options["verbosity"] >= 1:
            self.stdout.write(json.dumps(counts))
        if counts["deferred"]:
            raise CommandError(_("Some messages wait for the mail server; run again later."))
