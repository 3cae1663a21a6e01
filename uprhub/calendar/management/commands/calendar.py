"""`uprhub calendar …`: the review calendar on the command line.

uprhub calendar deadlines USA [--format table|json] [--all]
uprhub calendar load
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.calendar import selectors
from uprhub.calendar.loader import load_calendar
from uprhub.calendar.selectors import DeadlineEntry


def entry_to_dict(entry: DeadlineEntry, now: datetime) -> dict[str, Any]:
    """The JSON shape of a deadline (also a sensible shape for an API endpoint)."""
    return {
        "kind": entry.kind,
        "label": entry.label,
        # In the deadline's own zone, with its offset: "2026-04-02T23:59:00+02:00".
        "due": entry.local_due.isoformat(),
        "all_day": entry.all_day,
        "time_zone": entry.time_zone,
        "estimated": entry.is_estimated,
        "cancelled": entry.cancelled,
        "source_note": entry.source_note or entry.rule,
        "session": entry.session,
        "days_left": entry.days_left(now),
    }


class Command(BaseCommand):
    help = _("The UPR review calendar: a State's deadlines, or load the bundled calendar.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        deadlines = sub.add_parser("deadlines", help=_("Print the upcoming deadlines of a State."))
        deadlines.add_argument("iso3", help=_("ISO 3166-1 alpha-3 code of the State, e.g. USA."))
        deadlines.add_argument("--format", choices=["table", "json"], default="table")
        deadlines.add_argument(
            "--all", action="store_true", help=_("Include past and cancelled deadlines.")
        )
        sub.add_parser("load", help=_("Load the bundled sessions' States and known deadlines."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            summary = load_calendar()
            self.stdout.write(str(summary))
            for problem in [*summary.warnings, *summary.errors]:
                self.stderr.write(problem)
            return
        self._deadlines(options["iso3"], options["format"], options["all"])

    def _deadlines(self, code: str, fmt: str, include_past: bool) -> None:
        state = selectors.find_state(code)
        if state is None:
            raise CommandError(_("No State has the code %(code)s.") % {"code": code})
        now = timezone.now()
        entries = selectors.deadlines_for_state(state.code, now, include_past=include_past)
        submissions = selectors.SubmissionDeadlines.from_entries(
            selectors.deadlines_for_state(state.code, now), now
        )
        if fmt == "json":
            payload = {
                "state": state.code,
                "name": state.short_name,
                "generated_at": now.isoformat(),
                "next_stakeholder_submission": (
                    entry_to_dict(submissions.next, now) if submissions.next else None
                ),
                "deadlines": [entry_to_dict(e, now) for e in entries],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if not entries:
            self.stdout.write(_("No upcoming deadline for %(name)s.") % {"name": state.short_name})
            self._submission_summary(submissions)
            return
        self.stdout.write(
            _("Deadlines for %(name)s (%(code)s)") % {"name": state.short_name, "code": state.code}
        )
        for entry in entries:
            local = entry.local_due
            when = (
                local.strftime("%Y-%m-%d") if entry.all_day else local.strftime("%Y-%m-%d %H:%M %Z")
            )
            flags = []
            if entry.is_estimated:
                flags.append(_("estimated"))
            if entry.cancelled:
                flags.append(_("did not take place"))
            days = entry.days_left(now)
            if days >= 0:
                left = _("%(n)d days left") % {"n": days}
            elif entry.is_deadline and not entry.cancelled:
                left = _("closed on %(date)s") % {"date": entry.local_date.isoformat()}
            else:
                left = _("past")
            self.stdout.write(
                f"  UPR {entry.session:<3} {when:<22} {entry.label:<42} {left:<14} "
                + (f"[{', '.join(flags)}]" if flags else "")
            )
        self._submission_summary(submissions)

    def _submission_summary(self, submissions: selectors.SubmissionDeadlines) -> None:
        """The line a newcomer looks for: when the next stakeholder submission is due."""
        entry = submissions.next
        if entry is None:
            self.stdout.write(_("No stakeholder submission deadline in the calendar."))
            return
        self.stdout.write(
            _("Next stakeholder submission deadline: %(when)s (UPR %(session)s)%(flag)s")
            % {
                "when": entry.local_due.strftime("%Y-%m-%d %H:%M %Z"),
                "session": entry.session,
                "flag": f" [{_('estimated')}]" if entry.is_estimated else "",
            }
        )
        if entry.is_estimated and entry.rule:
            self.stdout.write(f"  {entry.rule}")
        if submissions.last_closed is not None:
            self.stdout.write(
                _("The previous one (UPR %(session)s) closed on %(date)s.")
                % {
                    "session": submissions.last_closed.session,
                    "date": submissions.last_closed.local_date.isoformat(),
                }
            )
