"""`uprhub followup clusters ISO3 --cycle N [--threshold X] [--show] [--format …]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.followup import clusters
from uprhub.recommendations.models import Recommendation

from .review_arg import review_of

NAME = "clusters"
FORMATS = ("json", "text")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "clusters",
        help=_(
            "Group a State's near-identical recommendations of one cycle (the same measure "
            "asked by several States) so they can be assessed in one step. Replaces the "
            "machine's earlier clusters of that review; clusters made by people are kept."
        ),
    )
    parser.add_argument("state", metavar="ISO3", help=_("ISO 3166-1 alpha-3 code, e.g. USA."))
    parser.add_argument("--cycle", type=int, required=True, help=_("UPR cycle of the review."))
    parser.add_argument(
        "--threshold",
        type=float,
        default=clusters.DEFAULT_THRESHOLD,
        help=_("How alike the members must be on average, 0 to 1 (default: %(default)s)."),
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help=_("With --format text: print each member's text under its cluster."),
    )
    parser.add_argument(
        "--semantic",
        action="store_true",
        help=_(
            "Also compare the texts' meaning with the sentence model when it is installed "
            "(slower; the default thresholds were chosen without it)."
        ),
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help=_("text (default): for reading; json: for programs."),
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    threshold = options["threshold"]
    if not 0.0 < threshold < 1.0:
        raise CommandError(_("--threshold must be between 0 and 1."))
    review = review_of(options["state"], options["cycle"])
    verbose = options["verbosity"] >= 1
    result = clusters.compute_clusters(
        review,
        threshold=threshold,
        use_semantic=options["semantic"],
        progress=command.stderr.write if verbose else None,
    )
    if options["format"] == "json":
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    texts: dict[str, str] = {}
    if options["show"]:
        texts = dict(Recommendation.objects.filter(review=review).values_list("paragraph", "text"))
    command.stdout.write(
        _(
            "%(count)s clusters of %(state)s's cycle %(cycle)s "
            "(method %(method)s, %(removed)s replaced):"
        )
        % {
            "count": len(result.clusters),
            "state": review.state.short_name,
            "cycle": options["cycle"],
            "method": result.method,
            "removed": result.removed,
        }
    )
    for item in result.clusters:
        command.stdout.write(
            f"[{len(item.paragraphs)}] {item.label} ({item.cohesion:.2f}): "
            + ", ".join(item.paragraphs)
        )
        for paragraph in item.paragraphs if options["show"] else ():
            command.stdout.write(f"    {paragraph} {texts.get(paragraph, '')}")
