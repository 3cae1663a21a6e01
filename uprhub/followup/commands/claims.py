"""`uprhub followup claims import FILE.csv --round SLUG` (or ``--state ISO3 --cycle N``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.followup import claims

NAME = "claims"


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "claims",
        help=_("What the State says it did about its recommendations (shown beside assessments)."),
    )
    actions = parser.add_subparsers(dest="claims_action", required=True)
    load = actions.add_parser(
        "import",
        help=_(
            "Import the State's claims from a CSV file (columns: recommendation, document, "
            "paragraph, claim, quote, date), all or nothing; importing a document again "
            "replaces its claims."
        ),
    )
    load.add_argument("file", metavar="FILE.csv", help=_("The CSV file (UTF-8)."))
    load.add_argument("--round", default="", help=_("The assessment round, by its short name."))
    load.add_argument("--state", default="", metavar="ISO3", help=_("The State, e.g. USA."))
    load.add_argument("--cycle", type=int, help=_("The cycle of the recommendations."))
    report = actions.add_parser(
        "from-report",
        help=_(
            "Add the claims of the State's next national report (/1), where it cites these "
            "recommendations by number (nothing when that report is not imported)."
        ),
    )
    report.add_argument("--round", default="", help=_("The assessment round, by its short name."))
    report.add_argument("--state", default="", metavar="ISO3", help=_("The State, e.g. USA."))
    report.add_argument("--cycle", type=int, help=_("The cycle of the recommendations."))


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    try:
        review = claims.review_for(
            round_slug=options["round"], iso3=options["state"], cycle=options["cycle"]
        )
        if options["claims_action"] == "from-report":
            _from_report(command, review)
            return
        done = claims.import_claims(Path(options["file"]), review, actor=None)
    except claims.ClaimsError as error:
        raise CommandError(_("Nothing was imported:") + "\n" + "\n".join(error.errors)) from error
    command.stdout.write(
        _("%(created)s claims imported from %(documents)s (%(replaced)s replaced).")
        % {
            "created": done.created,
            "documents": ", ".join(done.documents),
            "replaced": done.replaced,
        }
    )


def _from_report(command: BaseCommand, review: Any) -> None:
    found = claims.claims_from_national_report(review, actor=None)
    if not found.document:
        raise CommandError(
            _(
                "The State's national report of the next review (/1) is not imported: no "
                "claims to read. Import it, or import the claims from a CSV file."
            )
        )
    command.stdout.write(
        _("%(created)s claims added from %(document)s.")
        % {"created": found.created, "document": found.document}
    )
