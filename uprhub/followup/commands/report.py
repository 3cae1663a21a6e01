"""`uprhub followup report ROUND_SLUG --format docx|pdf -o FILE`: the implementation report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.followup import implementation_report as implementation

NAME = "report"


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        NAME,
        help=_(
            "Write the civil-society implementation report of an assessment round (its "
            "published positions only) as a Word or PDF file."
        ),
    )
    parser.add_argument(
        "round", metavar="ROUND_SLUG", help=_("The round's short name, e.g. mid-term-2022.")
    )
    parser.add_argument(
        "--format",
        choices=implementation.FORMATS,
        default="docx",
        help=_("docx (default) or pdf."),
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_(
            "Where to write it (default: a name like USA-UPR36-implementation-ROUND.docx here)."
        ),
    )
    parser.add_argument(
        "--language",
        default="en",
        help=_("Language of the headings and labels (default: %(default)s)."),
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    verbose = options["verbosity"] >= 1
    fmt = options["format"]
    round_ = implementation.round_by_slug(options["round"])
    if round_ is None:
        raise CommandError(_("No assessment round “%(slug)s”.") % {"slug": options["round"]})
    target = Path(options["output"] or implementation.filename_for(round_, fmt))
    if not target.parent.is_dir():
        raise CommandError(_("No such folder: %(folder)s") % {"folder": target.parent})
    if verbose:
        published = implementation.published_positions(round_).count()
        command.stderr.write(
            _("Round “%(round)s”: %(n)s published positions.")
            % {"round": round_.name, "n": published}
        )
        command.stderr.write(_("Writing the %(format)s file…") % {"format": fmt.upper()})
    try:
        content = implementation.render(round_, fmt, options["language"])
    except implementation.ImplementationReportError as error:
        raise CommandError(str(error)) from error
    try:
        target.write_bytes(content)
    except OSError as error:
        raise CommandError(
            _("Cannot write %(file)s: %(error)s") % {"file": target, "error": error.strerror}
        ) from error
    if verbose:
        command.stderr.write(
            _("Wrote %(file)s (%(size)s bytes).") % {"file": target, "size": len(content)}
        )
