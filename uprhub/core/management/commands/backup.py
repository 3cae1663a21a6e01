"""`uprhub backup PATH`: a consistent online backup (database, secret key, files, manifest)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = _(
        "Back up the database, the secret key and the data directory's files into one file "
        "(PATH, or a new file in the folder PATH). Safe while UPR Hub is running."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help=_("Backup file to create, or an existing folder."))
        parser.add_argument(
            "--without-secret-key",
            action="store_true",
            help=_("Leave the secret key out (keep it apart, e.g. in a password manager)."),
        )

    def handle(self, *args, path: str, without_secret_key: bool, **options) -> None:
        quiet = options["verbosity"] < 1

        def say(message: str) -> None:
            if not quiet:
                self.stderr.write(message)
                self.stderr.flush()

        try:
            written = create_backup(path, include_secret_key=not without_secret_key, say=say)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # The path alone on stdout, for scripts (progress went to stderr).
        self.stdout.write(str(written))
