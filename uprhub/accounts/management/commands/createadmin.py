"""`uprhub createadmin EMAIL [--name NAME] [--password]`: the first (or another) administrator.

Without --password it prints a link to choose a password (valid as long as a password-reset
link, three days by default); with --password it asks for one twice, hidden. Run it for an
existing account to make that account an administrator.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from uprhub.accounts import services, tokens


class Command(BaseCommand):
    help = _("Create an administrator (or make an existing account one) and say how to log in.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help=_("The administrator's e-mail address (the login)."))
        parser.add_argument("--name", default="", help=_("The name shown to other people."))
        parser.add_argument(
            "--password",
            action="store_true",
            help=_("Type a password now (asked twice) instead of getting a link to set one."),
        )

    def handle(self, *args: Any, email: str, name: str, password: bool, **options: Any) -> None:
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(
                _("%(email)s is not an e-mail address.") % {"email": email}
            ) from error
        chosen = self._ask_password(email, name) if password else None
        user = services.create_admin(email=email, full_name=name, password=chosen, actor=None)
        self.stdout.write(_("%(email)s is an administrator.") % {"email": user.email})
        if chosen is None and not user.has_usable_password():
            self.stdout.write(_("Open this link to choose the password, then log in:"))
            self.stdout.write(tokens.set_password_url(user))
            self.stdout.write(
                _(
                    "(The link starts with UPRHUB_SITE_URL; if the server runs at another "
                    "address, keep the part from /accounts/ on.)"
                )
            )
        else:
            self.stdout.write(_("Log in with this address and the password."))

    def _ask_password(self, email: str, name: str) -> str:
        from django.contrib.auth import get_user_model

        for _attempt in range(3):
            first = getpass.getpass(_("Password: "))
            if first != getpass.getpass(_("Password (again): ")):
                self.stderr.write(_("The two passwords differ; try again."))
                continue
            try:
                validate_password(first, get_user_model()(email=email, first_name=name))
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return first
        raise CommandError(_("No password set."))
