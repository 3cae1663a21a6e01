"""``manage.py import_data KIND FILE`` (also ``uprhub import KIND FILE``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.kinds import KINDS, run_kind
from uprhub.recommendations.importers.progress import TqdmProgress


class Command(BaseCommand):
    help = _(
        "Import a data file in one transaction: uprinfo, uprinfo-pledges, ohchr-csv, uhri-xlsx, "
        "ohchr-docx (or un-document). Re-importing the same file changes nothing; a newer "
        "version updates in place. Exit status 1 on bad input, with the file, line and problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS), help=_("the format of the file"))
        parser.add_argument("file", help=_("path of the file to import"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("do the whole import and report what it would do, then save nothing"),
        )
        parser.add_argument(
            "--state",
            help=_(
                "ISO3 code (or name) of the State under review, for ohchr-csv / ohchr-docx "
                "files that do not say it"
            ),
        )
        parser.add_argument(
            "--session", type=int, help=_("Working Group session number, for the same files")
        )

    def handle(self, *args, **options) -> None:
        kind: str = options["kind"]
        verbosity: int = options["verbosity"]
        if (options["state"] or options["session"]) and not KINDS[kind].takes_review:
            raise CommandError(
                _("--state and --session apply to ohchr-csv and ohchr-docx files only")
            )
        # The raw stream: OutputWrapper would add a newline to every redraw of the bar.
        progress = TqdmProgress(self.stderr._out, enabled=verbosity >= 1)
        try:
            summary = run_kind(
                kind,
                options["file"],
                dry_run=options["dry_run"],
                progress=progress,
                state=options["state"],
                session=options["session"],
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        if verbosity >= 1:
            self.stdout.write(summary.format(max_warnings=None if verbosity >= 2 else 20))
