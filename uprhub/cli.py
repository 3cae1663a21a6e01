"""The `uprhub` console script: a friendly front for the management commands.

uprhub serve [--host H] [--port P]     start the web app (prepares the database first)
uprhub import KIND FILE [--dry-run]    import a data file (uprinfo, ohchr-csv, uhri-xlsx…)
uprhub search QUERY [options]          search recommendations (table, json or csv)
uprhub worker [options]                run background tasks: e-mail, reminders
uprhub createadmin EMAIL [--password]  create an administrator (prints a set-password link)
uprhub similarity embed|status         optional semantic "similar recommendations"
uprhub backup PATH                     consistent online backup (database, secret key, files)
uprhub restore PATH                    restore a backup into an empty database
uprhub purge                           delete data past its retention period (daily, cron)
uprhub consultations create SLUG …     start a community consultation ("Listen")
uprhub consultations purge|withdraw …  retention purge; withdraw a testimony by item id
uprhub consultations export SLUG …     its testimony, anonymised (json or csv)
uprhub followup evidence ISO3 --cycle N  evidence of implementation in the next review's documents
uprhub manage COMMAND …                any Django management command
"""

from __future__ import annotations

import os
import sys

# Commands that must find the database ready (migrated, bundled data loaded) before they run.
# Never `restore` (it needs an empty database: the bundled data would make it refuse) nor
# `backup` (it copies the database as it is).
_NEEDS_DATA = {
    "search",
    "import_data",
    "calendar",
    "report",
    "classifier",
    "similarity",
    "db_worker",
    "worker",
    "createadmin",
    "consultations",
    "followup",
}
# `uprhub worker` is django-tasks-db's worker made resilient (uprhub/core/worker.py).
_ALIASES = {"import": "import_data"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Answered before Django starts (settings, apps, models: most of a second).
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    if argv[0] == "--version":
        from uprhub import __version__

        print(__version__)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    if argv[0] == "manage":
        execute_from_command_line(["uprhub manage", *argv[1:]])
        return 0

    command = _ALIASES.get(argv[0], argv[0])
    if command in _NEEDS_DATA and not any(a in {"-h", "--help"} for a in argv[1:]):
        from uprhub.site.bootstrap import prepare_database

        prepare_database(
            say=lambda msg: print(msg, file=sys.stderr, flush=True), progress_stream=sys.stderr
        )
    if command != argv[0]:
        # Run the aliased command under the name the user typed, so its usage and --help say
        # "uprhub worker", not the Django name behind it.
        from django.core.management import ManagementUtility

        utility = ManagementUtility(["uprhub", command, *argv[1:]])
        utility.fetch_command(command).run_from_argv(["uprhub", argv[0], *argv[1:]])
        return 0
    execute_from_command_line(["uprhub", command, *argv[1:]])  # usage: "uprhub <command>"
    return 0


if __name__ == "__main__":
    sys.exit(main())
