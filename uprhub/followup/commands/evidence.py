"""`uprhub followup evidence ISO3 --cycle N [--rec PARAGRAPH …] [--limit K] [--format …]`;
with ``--store``, the suggestions of every recommendation of the review are computed and stored
for the recommendation pages (``evidence_store.compute_and_store``)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.followup import evidence, evidence_store, selectors
from uprhub.reviews.models import Review

NAME = "evidence"
FORMATS = ("json", "text")


def add_parser(sub: Any) -> None:
    find = sub.add_parser(
        "evidence",
        help=_(
            "For each recommendation of a State's cycle, the paragraphs of its next review's "
            "UN documents (/1, /2, /3) that speak of the same measure, best first. With "
            "--store, stores them as suggestions people accept or reject on the "
            "recommendation pages."
        ),
        description=_(
            "Prints the evidence found (JSON or text). With --store, computes the suggestions "
            "for every recommendation of the State's review in that cycle and stores them, "
            "replacing the earlier suggestions nobody decided on (accepted and rejected ones "
            "are kept and never suggested again), e.g.: uprhub followup evidence USA --cycle 3 "
            "--store"
        ),
    )
    find.add_argument("state", metavar="ISO3", help=_("ISO 3166-1 alpha-3 code, e.g. USA."))
    find.add_argument(
        "--cycle",
        type=int,
        required=True,
        help=_("UPR cycle of the recommendations (the evidence comes from the next one)."),
    )
    find.add_argument(
        "--rec",
        action="append",
        metavar="PARAGRAPH",
        help=_("Only this recommendation, by its paragraph number, e.g. 26.176 (repeatable)."),
    )
    find.add_argument(
        "--limit",
        type=int,
        default=evidence.DEFAULT_LIMIT,
        help=_("Paragraphs per recommendation (default: %(default)s)."),
    )
    find.add_argument(
        "--method",
        choices=evidence.METHODS,
        default=evidence.FUSED,
        help=_("How paragraphs are ranked (default: %(default)s)."),
    )
    find.add_argument(
        "--no-semantic",
        action="store_true",
        help=_("Do not use the semantic model even when it is installed (faster)."),
    )
    find.add_argument(
        "--store",
        action="store_true",
        help=_(
            "Compute and store the suggestions of all the review's recommendations (--rec and "
            "--method do not apply); prints what was stored."
        ),
    )
    find.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help=_("json (default): for programs; text: for reading."),
    )


def run(command: BaseCommand, options: dict[str, Any]) -> None:
    if options["limit"] < 1:
        raise CommandError(_("--limit must be at least 1."))
    if options["cycle"] < 1:
        raise CommandError(_("--cycle must be at least 1."))
    verbose = options["verbosity"] >= 1
    if options["store"]:
        _store(command, options, verbose)
        return
    try:
        results = evidence.find_evidence(
            options["state"],
            options["cycle"],
            paragraphs=options["rec"],
            limit=options["limit"],
            method=options["method"],
            use_semantic=False if options["no_semantic"] else None,
            progress=command.stderr.write if verbose else None,
        )
    except evidence.EvidenceError as error:
        raise CommandError(str(error)) from error
    if options["format"] == "json":
        payload = {"results": [item.as_dict() for item in results]}
        command.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for item in results:
        command.stdout.write(item.recommendation)
        for found in item.evidence:
            command.stdout.write(
                f"  {found.document} para. {found.paragraph} ({found.score:.2f}): {found.quote}"
            )


def _store(command: BaseCommand, options: dict[str, Any], verbose: bool) -> None:
    if options["rec"]:
        raise CommandError(_("--store computes the whole review: leave out --rec."))
    try:
        state = selectors.state_or_error(options["state"])
        review = (
            Review.objects.filter(state=state, session__cycle_id=options["cycle"])
            .order_by("session__number")
            .first()
        )
        if review is None:
            raise evidence.EvidenceError(
                _("%(state)s has no review in cycle %(cycle)s.")
                % {"state": state.short_name, "cycle": options["cycle"]}
            )
        report = evidence_store.compute_and_store(
            review,
            limit=options["limit"],
            use_semantic=False if options["no_semantic"] else None,
            progress=command.stderr.write if verbose else None,
        )
    except evidence.EvidenceError as error:
        raise CommandError(str(error)) from error
    if options["format"] == "json":
        command.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        command.stdout.write(
            _("%(written)s suggestions stored (%(method)s).")
            % {"written": report.written, "method": report.method}
        )
