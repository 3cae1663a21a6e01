"""`uprhub consultations …`: community consultations ("Listen") on the command line.

uprhub consultations create SLUG --state ISO3 --title TITLE [--cycle N] [--place P]
uprhub consultations purge [--dry-run]
uprhub consultations withdraw SLUG ITEM_ID
uprhub consultations suggest SLUG
uprhub consultations rotate-keys
uprhub consultations export SLUG --format json|csv [--include-unmoderated] [--output FILE]
uprhub consultations import SLUG FILE.csv
uprhub consultations session SLUG --starts ISO --place PLACE [--ends ISO] [--description D]
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.consultations import exporting, paper, selectors, services
from uprhub.consultations.models import Consultation

#: A progress line every this many rows (big files only).
PROGRESS_EVERY = 500


class Command(BaseCommand):
    help = _(
        "Community consultations: create one, import paper forms, add in-person sessions, "
        "export what people said (anonymised), suggest themes, delete identities past "
        "retention, withdraw a testimony."
    )

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

        purge = sub.add_parser(
            "purge",
            help=_(
                "Delete participants' identities and original words once their consultation "
                "closed UPRHUB_CONSULTATION_RETENTION_DAYS ago (also run by `uprhub purge`)."
            ),
        )
        purge.add_argument(
            "--dry-run", action="store_true", help=_("Say what would be deleted; delete nothing.")
        )
        sub.add_parser(
            "rotate-keys",
            help=_(
                "Re-encrypt identities and original texts under the first key of "
                "UPRHUB_CONSULTATION_KEYS; then the older keys can be removed."
            ),
        )
        withdraw = sub.add_parser(
            "withdraw",
            help=_(
                "Withdraw a testimony by its item id (for a person who lost their receipt "
                "code): its text, original, identity and quotes are deleted."
            ),
        )
        withdraw.add_argument("slug")
        withdraw.add_argument("item_id", type=int)
        export = sub.add_parser(
            "export",
            help=_(
                "Export a consultation's testimony, anonymised: redacted texts, consents, "
                "themes and linked recommendations; never who said it."
            ),
        )
        export.add_argument("slug", help=_("The consultation's short name."))
        export.add_argument(
            "--format",
            choices=exporting.FORMATS,
            default="json",
            help=_('json: {"consultation": …, "items": […]}; csv: the items, one row each.'),
        )
        export.add_argument(
            "--include-unmoderated",
            action="store_true",
            help=_(
                "Also testimony no moderator has approved yet (its automatically redacted text). "
                "Rejected and withdrawn testimony is never exported."
            ),
        )
        export.add_argument(
            "--output", help=_("Write to this file (default: the standard output).")
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
        elif options["subcommand"] == "purge":
            self._purge(options)
        elif options["subcommand"] == "withdraw":
            self._withdraw(options)
        elif options["subcommand"] == "suggest":
            self._suggest(options)
        elif options["subcommand"] == "export":
            self._export(options)
        elif options["subcommand"] == "rotate-keys":
            try:
                count = services.rotate_keys(actor=None)
            except services.ConsultationError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                _("Re-encrypted %(count)s values under the newest key.") % {"count": count}
            )
        elif options["subcommand"] == "import":
            self._import(options)
        elif options["subcommand"] == "session":
            self._session(options)

    def _consultation(self, slug: str) -> Consultation:
        try:
            return selectors.consultation_by_slug(slug)
        except Http404:
            raise CommandError(_("No consultation “%s”.") % slug) from None

    def _purge(self, options: dict[str, Any]) -> None:
        dry_run = options["dry_run"]
        result = services.purge_expired(dry_run=dry_run)
        days = settings.UPRHUB_CONSULTATION_RETENTION_DAYS
        if dry_run:
            self.stdout.write(_("Dry run: nothing deleted. It would delete:"))
        else:
            self.stdout.write(
                _("Consultations closed more than %(days)s days ago:") % {"days": days}
            )
        lines = [
            (_("identities (name, e-mail, phone)"), result.identities),
            (_("original (unredacted) texts"), result.originals),
            (_("testimonies marked purged"), result.testimonies),
            (_("client-address hashes"), result.address_hashes),
        ]
        for label, count in lines:
            self.stdout.write(f"  {label}: {count}")

    def _withdraw(self, options: dict[str, Any]) -> None:
        consultation = self._consultation(options["slug"])
        try:
            testimony = services.withdraw_by_id(consultation, options["item_id"], actor=None)
        except services.ConsultationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Withdrew item %(id)s of “%(slug)s”: its text, original, identity and tags are "
                "deleted; a tombstone (id, dates) remains."
            )
            % {"id": testimony.pk, "slug": consultation.slug}
        )

    def _suggest(self, options: dict[str, Any]) -> None:
        from uprhub.consultations import suggesting

        consultation = self._consultation(options["slug"])
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

    def _export(self, options: dict[str, Any]) -> None:
        consultation = self._consultation(options["slug"])
        try:
            # The command line is the operator (actor None), allowed by the rules' system path.
            data = exporting.export_consultation(
                consultation, actor=None, include_unmoderated=options["include_unmoderated"]
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        text = io.StringIO(newline="")  # the csv module writes its own line ends
        exporting.write(data, text, options["format"])
        if options["output"]:
            path = Path(options["output"])
            path.write_text(text.getvalue(), encoding="utf-8", newline="")
            self.stderr.write(
                _("%(count)s testimonies written to %(path)s")
                % {"count": len(data["items"]), "path": path}
            )
        else:
            self.stdout.write(text.getvalue(), ending="")

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
