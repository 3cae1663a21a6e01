"""`uprhub similarity …`: the optional semantic ranking of "similar recommendations".

uprhub similarity status [--format text|json]     setting, extra, how many texts have a vector
uprhub similarity embed [--limit N] [--prune] [--quiet] [--format text|json]

``embed`` computes the sentence embeddings that are missing (all of them the first time: about
31,000 distinct texts for the bundled data, some minutes on 2 cores), with a progress bar on
stderr; run again, it only embeds new texts. Needs the ``semantic`` extra
(``pip install "uprhub[semantic]"``). Exit status 1 with a message when it is missing.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from uprhub.search import semantic


class _Bar:
    """A tqdm bar on stderr, drawn once there is something to embed."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None  # a tqdm bar (tqdm is imported only when one is drawn)

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, file=sys.stderr, unit=" texts", desc="embedding", dynamic_ncols=True
            )
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Command(BaseCommand):
    help = _(
        "Semantic similarity (optional): show its status, or compute the sentence embeddings "
        "that similar recommendations are ranked by."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        status_p = sub.add_parser("status", help=_("Setting, extra and stored vectors."))
        status_p.add_argument("--format", choices=["text", "json"], default="text")
        embed_p = sub.add_parser("embed", help=_("Embed the texts that have no vector yet."))
        embed_p.add_argument("--limit", type=int, help=_("Embed at most this many texts."))
        embed_p.add_argument(
            "--prune", action="store_true", help=_("Also drop vectors of texts no longer used.")
        )
        embed_p.add_argument("--quiet", action="store_true", help=_("No progress bar."))
        embed_p.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, subcommand: str, **options) -> None:
        if subcommand == "status":
            self._print(semantic.status(), options["format"])
            return
        if options["limit"] is not None and options["limit"] < 0:
            raise CommandError(_("--limit must be 0 or more."))
        bar = _Bar(enabled=not options["quiet"])
        try:
            report = semantic.embed_missing(
                limit=options["limit"], prune=options["prune"], progress=bar
            )
        except semantic.SemanticUnavailable as exc:
            raise CommandError(
                _("The semantic extra is not available: %(reason)s") % {"reason": exc}
            ) from exc
        finally:
            bar.close()
        self._print(report.as_dict(), options["format"])

    def _print(self, data: dict, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for key, value in data.items():
            if isinstance(value, list):
                value = ", ".join(map(str, value)) or "-"
            self.stdout.write(f"{key}: {value}")
