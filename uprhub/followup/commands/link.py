"""`uprhub followup link ISO3 --cycle N [--format …]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from uprhub.followup import carry_forward

from .review_arg import review_of

NAME = "link"
FORMATS = ("json", "text")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "link",
        help=_(
            "Link a State's recommendations of one cycle to those of its nearest earlier "
            "cycle on the same measure (repeated or strengthened). Replaces the machine's "
            "earlier links of that review; links made by people are kept."
        ),
    )
    parser.add_argument("state", metavar="ISO3", help=_("ISO 3166-1 alpha-3 code, e.g. USA."))
    parser.add_argument(
        "--cycle", type=int, required=True, help=_("UPR cycle of the later review.")
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help=_(
            "Also compare the texts' meaning with the sentence model when it is installed "
            "(slower; the link threshold was chosen without it)."
        ),
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=_("text (default): for reading; json: for programs."),
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    review = review_of(options["state"], options["cycle"])
    verbose = options["verbosity"] >= 1
    result = carry_forward.link_cycles(
        review,
        use_semantic=options["semantic"],
        progress=command.stderr.write if verbose else None,
    )
    if options["format"] == "json":
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    if result.earlier_cycle is None:
        command.stdout.write(
            _("No earlier cycle of %(state)s has recommendations: nothing to link.")
            % {"state": review.state.short_name}
        )
        return
    counts = result.counts()
    command.stdout.write(
        _(
            "Cycle %(later)s → cycle %(earlier)s: %(repeated)s repeated, %(strengthened)s "
            "strengthened, %(new)s new (%(links)s links, %(removed)s replaced)."
        )
        % {
            "later": result.later_cycle,
            "earlier": result.earlier_cycle,
            "repeated": counts["repeated"],
            "strengthened": counts["strengthened"],
            "new": counts["new"],
            "links": len(result.links),
            "removed": result.removed,
        }
    )
    for link in result.links:
        command.stdout.write(
            f"  {link['later']} {link['kind']} {link['earlier']} ({link['score']:.2f})"
        )
