"""uprhub manage deliver_posts [--post ID] [--enqueue]

Sends what is still pending of posts being sent: after an SMTP outage, a crash, or when
no worker ran. Sent deliveries are never sent again, so running it any time is safe.
Schedule it with cron, e.g. `*/10 * * * * uprhub manage deliver_posts --enqueue`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.mailinglists import delivery
from uprhub.mailinglists.tasks import deliver_pending_posts


class Command(BaseCommand):
    help = _("Send the pending deliveries of posts (safe to repeat: nothing is sent twice).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--post", type=int, action="append", help=_("Only this post (repeat)."))
        parser.add_argument(
            "--enqueue", action="store_true", help=_("Hand the runs to the worker instead.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = deliver_pending_posts.enqueue()
            self.stdout.write(_("Enqueued %(id)s") % {"id": result.id})
            return
        delivery.finish_empty_posts()
        post_ids = options["post"] or delivery.posts_with_pending_deliveries()
        failed = False
        for post_id in post_ids:
            report = delivery.deliver_post(post_id)
            failed = failed or bool(report.connection_error)
            if options["verbosity"] >= 1:
                self.stdout.write(json.dumps(report.as_dict()))
        if failed:
            raise CommandError(_("Some deliveries wait for the mail server; run again later."))
