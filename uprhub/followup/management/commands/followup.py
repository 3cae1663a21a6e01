"""`uprhub followup …`: following up recommendations on the command line.

Each subcommand lives in `uprhub.followup.commands` (``uprhub followup --help`` lists them).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from uprhub.followup import commands


class Command(BaseCommand):
    help = _(
        "Follow up recommendations: assessment rounds, evidence of implementation, "
        "scorecards and reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for module in commands.modules():
            module.add_parser(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        for module in commands.modules():
            if options["subcommand"] == module.NAME:
                module.run(self, options)
                return
