"""`uprhub consultations …`: community consultations ("Listen") on the command line.

uprhub consultations create SLUG --state ISO3 --title TITLE [--cycle N] [--place P]
uprhub consultations suggest SLUG
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from uprhub.consultations import selectors, services


class Command(BaseCommand):
    help = _("Community consultations: create one.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help=_("Create a consultation for a State's review."))
        create.add_argument("slug", help=_("Short name used in its address, e.g. pittsburgh-2026."))
        create.add_argument("--state", required=True, help=_("ISO 3166-1 alpha-3 code, e.g. USA."))
        create.add_argument("--title", required=True)
        create.add_argument(
            "--cycle", type=int, help=_("UPR cycle of the review (default: the latest).")
        )
        create.add_argument("--place", default="")
        create.add_argument(
            "--languages", default="en,es,fr", help=_("Comma-separated language codes.")
        )
        suggest = sub.add_parser(
            "suggest",
            help=_("Suggest UPR Info issues and past recommendations for testimonies without any."),
        )
        suggest.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "create":
            self._create(options)
        elif options["subcommand"] == "suggest":
            self._suggest(options)

    def _suggest(self, options: dict[str, Any]) -> None:
        from django.http import Http404

        from uprhub.consultations import suggesting

        try:
            consultation = selectors.consultation_by_slug(options["slug"])
        except Http404:
            raise CommandError(_("No consultation “%s”.") % options["slug"]) from None
        waiting = suggesting.untagged(
            selectors.counted(consultation).select_related("consultation__review__session")
        )

        def progress(done: int, total: int) -> None:
            self.stdout.write(
                _("%(done)s of %(total)s testimonies") % {"done": done, "total": total}
            )

        result = suggesting.suggest(waiting, progress=progress)
        self.stdout.write(
            _("Suggested %(themes)s issues and %(recs)s recommendations for %(n)s testimonies.")
            % {
                "themes": result.themes_added,
                "recs": result.recommendations_added,
                "n": result.testimonies,
            }
        )

    def _create(self, options: dict[str, Any]) -> None:
        review = selectors.review_for(options["state"], options["cycle"])
        if review is None:
            raise CommandError(
                _("No review of %(state)s%(cycle)s is known.")
                % {
                    "state": options["state"].upper(),
                    "cycle": f" (cycle {options['cycle']})" if options["cycle"] else "",
                }
            )
        try:
            consultation = services.create_consultation(
                actor=None,
                slug=options["slug"],
                review=review,
                title=options["title"],
                place=options["place"],
                languages=[c.strip() for c in options["languages"].split(",") if c.strip()],
            )
        except services.ConsultationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Created consultation “%(title)s” (%(slug)s) for the review of %(state)s, cycle "
                "%(cycle)s: /listen/%(slug)s/"
            )
            % {
                "title": consultation.title,
                "slug": consultation.slug,
                "state": review.state.short_name,
                "cycle": review.session.cycle_id,
            }
        )
