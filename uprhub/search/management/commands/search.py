"""`uprhub search QUERY`: the explorer on the command line (table, JSON or CSV)."""

from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from uprhub.core.exports import csv_writer
from uprhub.recommendations.models import Position, SuggestionKind
from uprhub.search import service, suggest
from uprhub.search.request import SearchRequestError, parse_search_request
from uprhub.search.serializers import (
    recommendations_to_dicts,
    result_to_dict,
)
from uprhub.search.types import SORTS, SearchQuery


class Command(BaseCommand):
    help = _("Search the recommendations database.")
    # The system checks import every URLconf, view and API module (about half a second); a
    # read-only search needs none of them, and `serve`/`migrate` still run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("query", nargs="*", help=_("Words to search for (empty: browse)."))
        parser.add_argument(
            "--state", action="append", default=[], help=_("ISO3 of the State under review.")
        )
        # Values are checked by the search layer's parser (the explorer's and the API's), not
        # by argparse, so a bad value gets the same message everywhere.
        parser.add_argument("--recommending-state", action="append", default=[])
        parser.add_argument("--cycle", action="append", default=[])
        parser.add_argument("--session", action="append", default=[])
        parser.add_argument(
            "--position", action="append", default=[], metavar="{" + ",".join(Position.values) + "}"
        )
        parser.add_argument("--action-category", action="append", default=[])
        parser.add_argument(
            "--theme", action="append", default=[], help=_("Theme name, any vocabulary.")
        )
        parser.add_argument("--sort", default="relevance", metavar="{" + ",".join(SORTS) + "}")
        parser.add_argument("--limit", default="20")
        parser.add_argument("--page", default="1")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        # The words as typed: no synonyms, translations or theme labels. (No help text until
        # the catalogues translate one: a test requires every command's help translated.)
        parser.add_argument(
            "--literal",
            action="store_true",
            help=_("Search only the words as typed (no synonyms, translations or themes)."),
        )

    def handle(self, *args, **opts) -> None:
        theme_ids: list[int] = []
        for name in opts["theme"]:
            ids = service.theme_ids_by_name(name)
            if not ids:
                raise CommandError(_("No theme is called “%(name)s”.") % {"name": name})
            theme_ids.extend(ids)
        params = {
            "q": " ".join(opts["query"]),
            "state": opts["state"],
            "recommending_state": opts["recommending_state"],
            "cycle": opts["cycle"],
            "session": opts["session"],
            "position": opts["position"],
            "action_category": opts["action_category"],
            "theme": [str(pk) for pk in theme_ids],
            "sort": opts["sort"],
            "page": opts["page"],
            "page_size": opts["limit"],
            "literal": "1" if opts["literal"] else "",
        }
        try:
            query = parse_search_request(params, source="cli")
        except SearchRequestError as error:
            raise CommandError("\n".join(error.messages())) from error
        result = service.search(query, suggest_when_empty=True)
        fmt = opts["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2))
        elif fmt == "csv":
            self._write_csv(replace(query, page=1), query.page_size * query.page)
        else:
            self._write_table(result)
        if fmt != "json" and result.suggestions:
            # On stderr: a CSV or table on stdout stays clean for scripts.
            self.stderr.write(_("Nothing matched. Try:"))
            for line in suggest.command_lines(result.suggestions):
                self.stderr.write(f"  - {line}")

    def _write_csv(self, query: SearchQuery, limit: int) -> None:
        # Through the one export module: text cells that a spreadsheet would run as a
        # formula ("=HYPERLINK(…)", "+cmd") are written as text.
        writer = csv_writer(self.stdout)
        fields = [
            "id",
            "state",
            "cycle",
            "session",
            "paragraph",
            "position",
            "action_category",
            "recommending_states",
            "themes",
            "text",
            # Pending machine suggestions, apart from the labels above.
            "suggested_issues",
            "suggested_action_category",
            "suggestion_model_version",
        ]
        writer.writerow(fields)
        result = service.search(replace(query, page_size=limit))
        for row in recommendations_to_dicts([hit.recommendation for hit in result.hits]):
            row["recommending_states"] = "; ".join(s["name"] for s in row["recommending_states"])
            row["themes"] = "; ".join(t["name"] for t in row["themes"])
            suggested = row.pop("suggestions")
            row["suggested_issues"] = "; ".join(
                s["label"] for s in suggested if s["kind"] == SuggestionKind.ISSUE
            )
            row["suggested_action_category"] = "; ".join(
                str(s["value"]) for s in suggested if s["kind"] == SuggestionKind.ACTION
            )
            row["suggestion_model_version"] = "; ".join(
                dict.fromkeys(s["model_version"] for s in suggested)
            )
            writer.writerow([row[f] if row[f] is not None else "" for f in fields])

    def _write_table(self, result) -> None:
        width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 140))
        start = (result.query.page - 1) * result.query.page_size
        self.stdout.write(
            _("%(total)s recommendations match; showing %(first)s–%(last)s.")
            % {
                "total": f"{result.total:,}",
                "first": start + 1 if result.hits else 0,
                "last": start + len(result.hits),
            }
        )
        for hit in result.hits:
            # Read from the model rather than `recommendation_to_dict`: its "url" would import
            # every URLconf and view (half a second) for a link the table does not show.
            rec = hit.recommendation
            review = rec.review
            who = ", ".join(s.short_name for s in rec.recommending_states.all()) or "—"
            head = (
                f"[{rec.pk}] {review.state.code} · cycle {review.session.cycle_id}"
                f" · UPR {review.session_id}"
                f"{' · ' + rec.paragraph if rec.paragraph else ''} · {rec.position}"
                f"{' · cat. ' + str(rec.action_category) if rec.action_category else ''}"
            )
            self.stdout.write("")
            self.stdout.write(self.style.MIGRATE_HEADING(head))
            self.stdout.write(
                textwrap.fill(rec.text, width, initial_indent="  ", subsequent_indent="  ")
            )
            self.stdout.write(f"  — {who}")
