"""`uprhub report …`: shadow reports on the command line.

uprhub report validate FILE.docx [--type individual|joint] [--format table|json] [--cycle N]

Exit status: 0 when the report has no errors, 1 when it has errors (the findings are
printed all the same), 2 when the file cannot be read (the reason goes to stderr).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from uprhub.reports.document import SubmissionType
from uprhub.reports.docx_reader import DocxRejected, read_docx
from uprhub.reports.rules import rules_for_cycle
from uprhub.reports.validator import report_to_json, report_to_text, validate

EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = _("Shadow reports: check a Word draft against OHCHR's submission rules.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser(
            "validate",
            help=_("Check a .docx draft: words, numbering, footnotes, cover information."),
        )
        check.add_argument("file", help=_("The Word (.docx) file to check."))
        check.add_argument(
            "--type",
            choices=[t.value for t in SubmissionType],
            help=_("Individual or joint submission (sets the word limit). Default: guessed."),
        )
        check.add_argument("--format", choices=["table", "json"], default="table")
        check.add_argument(
            "--cycle", type=int, help=_("UPR cycle whose rules apply (default: current rules).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "validate":
            self._validate(options["file"], options["type"], options["format"], options["cycle"])

    def _validate(self, path: str, kind: str | None, fmt: str, cycle: int | None) -> None:
        try:
            doc = read_docx(path, filename=path, submission_type=kind)
        except DocxRejected as exc:
            raise CommandError(
                _("%(file)s: %(reason)s") % {"file": path, "reason": exc.message},
                returncode=EXIT_UNREADABLE,
            ) from exc
        if cycle is not None:
            doc.cover.cycle = cycle
        report = validate(doc, rules=rules_for_cycle(cycle))
        if fmt == "json":
            self.stdout.write(report_to_json(report, doc))
        else:
            self.stdout.write(
                _("%(file)s: %(type)s, %(paragraphs)s paragraphs, %(notes)s footnotes")
                % {
                    "file": path,
                    "type": doc.cover.submission_type,
                    "paragraphs": len(doc.paragraphs()),
                    "notes": sum(len(p.footnotes) for p in doc.paragraphs()),
                }
            )
            self.stdout.write(report_to_text(report), ending="")
        if report.errors:
            self.stdout.flush()
            sys.exit(EXIT_ERRORS)
