"""``manage.py load_bundled_data``: the reference data, every bundled file and the review
calendar (idempotent). In the site app: it loads what several apps own."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.bundled import load_bundled_data
from uprhub.recommendations.importers.progress import TqdmProgress
from uprhub.site.bootstrap import load_bundled_calendar


class Command(BaseCommand):
    help = _(
        "Load the States, sessions and reviews, then the UPR Info, OHCHR and UN files shipped "
        "with UPR Hub. Safe to run again: unchanged files change nothing."
    )

    def handle(self, *args, **options) -> None:
        verbosity: int = options["verbosity"]
        progress = TqdmProgress(self.stderr._out, enabled=verbosity >= 1)
        try:
            summaries = load_bundled_data(progress=progress)
            calendar = load_bundled_calendar()
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        if verbosity >= 1:
            for summary in summaries:
                self.stdout.write(summary.format(max_warnings=None if verbosity >= 2 else 5))
            self.stdout.write(str(calendar))
