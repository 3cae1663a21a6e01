"""`uprhub restore PATH`: restore a backup into an empty database and data directory."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = _(
        "Restore a backup made by `uprhub backup` into an empty database (checksums are "
        "verified first; migrations run when the backup is older)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help=_("Backup file made by `uprhub backup`."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Restore even into a database that is not empty, replacing it (SQLite: the "
                "old file is kept beside it)."
            ),
        )

    def handle(self, *args, path: str, force: bool, **options) -> None:
        quiet = options["verbosity"] < 1

        def say(message: str) -> None:
            if not quiet:
                self.stderr.write(message)
                self.stderr.flush()

        try:
            restore_backup(path, force=force, say=say)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
