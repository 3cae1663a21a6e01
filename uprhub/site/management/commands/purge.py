"""`uprhub purge`: delete personal data past its retention period (run daily from cron)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from uprhub.site.retention import purge


class Command(BaseCommand):
    help = _(
        "Delete unconfirmed subscriptions, expired sessions and old delivery records, as the "
        "privacy page says (run it daily from cron)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options) -> None:
        result = purge()
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict()))
            return
        if options["verbosity"] >= 1:
            labels = {
                "unconfirmed_subscriptions": _("unconfirmed subscriptions"),
                "addresses": _("unconfirmed addresses"),
                "sessions": _("expired sessions"),
                "deliveries": _("list delivery records"),
                "reminder_logs": _("reminder records"),
                "unconfirmed_answers": _("unconfirmed taskforce answers"),
                "outbox_messages": _("e-mail outbox records"),
                "consultation_address_hashes": _("consultation address hashes"),
                "consultation_receipt_mails": _("sent consultation receipt e-mails"),
                "consultation_identities": _("consultation participants' identities"),
                "consultation_originals": _("consultation original (unredacted) texts"),
            }
            for key, count in result.as_dict().items():
                self.stdout.write(
                    _("%(label)s deleted: %(count)s") % {"label": labels[key], "count": count}
                )
