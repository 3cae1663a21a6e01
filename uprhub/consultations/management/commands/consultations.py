"""`uprhub consultations …`: community consultations ("Listen") on the command line.

uprhub consultations create SLUG --state ISO3 --title TITLE [--cycle N] [--place P]
uprhub consultations import SLUG FILE.csv
uprhub consultations session SLUG --starts ISO --place PLACE [--ends ISO] [--description D]
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.consultations import paper, selectors, services

#: A progress line every this many rows (big files only).
PROGRESS_EVERY = 500


class Command(BaseCommand):
    help = _("Community consultations: create one, import paper forms, add in-person sessions.")

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

        imports = sub.add_parser(
            "import",
            # One literal text (the columns written out), so the catalogue can translate it.
            help=_(
                "Import testimony typed from paper forms (CSV, UTF-8): all rows or none. "
                "Columns: submitted_at,language,text,name,email,phone,consent_quote,"
                "consent_named,consent_contact,risk,themes."
            ),
        )
        imports.add_argument("slug")
        imports.add_argument("file", type=Path)
        session = sub.add_parser("session", help=_("Add an in-person session."))
        session.add_argument("slug")
        session.add_argument(
            "--starts", required=True, help=_("ISO date and time, e.g. 2026-03-14T18:00-05:00.")
        )
        session.add_argument("--ends", default="", help=_("ISO date and time (optional)."))
        session.add_argument("--place", required=True)
        session.add_argument("--description", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "create":
            self._create(options)
        elif options["subcommand"] == "import":
            self._import(options)
        elif options["subcommand"] == "session":
            self._session(options)

    def _consultation(self, slug: str) -> Any:
        try:
            return selectors.consultation_by_slug(slug)
        except Http404:
            raise CommandError(_("No consultation is called “%s”.") % slug) from None

    def _import(self, options: dict[str, Any]) -> None:
        consultation = self._consultation(options["slug"])
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from None

        def progress(done: int, total: int) -> None:
            if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
                self.stderr.write(_("%(done)s of %(total)s rows…") % {"done": done, "total": total})

        try:
            stored = services.import_paper(consultation, data, actor=None, progress=progress)
        except paper.PaperImportError as error:
            # Every problem, by line (on stderr, exit status 1); the messages quote no name,
            # address or testimony text.
            raise CommandError(f"{error}\n{_('Nothing was imported.')}") from None
        self.stdout.write(
            _("Imported %(count)s testimonies into “%(title)s”; they wait for moderation.")
            % {"count": len(stored), "title": consultation.title}
        )

    def _session(self, options: dict[str, Any]) -> None:
        consultation = self._consultation(options["slug"])
        starts = _moment(options["starts"], "--starts")
        ends = _moment(options["ends"], "--ends") if options["ends"] else None
        try:
            session = services.add_session(
                consultation,
                actor=None,
                starts_at=starts,
                ends_at=ends,
                place=options["place"],
                description=options["description"],
            )
        except services.ConsultationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Added the session of %(when)s at %(place)s to “%(title)s”.")
            % {
                "when": session.starts_at.isoformat(),
                "place": session.place,
                "title": consultation.title,
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


def _moment(value: str, option: str) -> datetime.datetime:
    """An ISO date-time; without an offset, in the site's time zone."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s: “%(value)s” is not an ISO date and time, e.g. 2026-03-14T18:00.")
            % {"option": option, "value": value}
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
