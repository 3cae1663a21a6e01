"""`uprhub worker`: run background tasks (list mail, reminders) with django-tasks-db.

The library's ``db_worker`` command and options, with our `ResilientWorker` (resumes tasks
left running by a dead worker, rides out "database is locked") and worker ids that name the
host and process (``host:pid:token``) so a later worker can tell whether their owner lives.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from uprhub.core.worker import ResilientWorker, make_worker_id


class Command(db_worker.Command):
    help = _("Run background tasks: list mail, reminders (resumes work a dead worker left).")

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=make_worker_id())
        # The library's options keep their behaviour; only their help texts become ours, so
        # that makemessages extracts them and `--help` speaks the active language.
        helps = {
            "queue_name": _(
                "The queues to process, separated by commas; '*' processes every queue "
                "(default: %(default)r)."
            ),
            "exclude_queues": _("Queues to leave out, separated by commas (with --queue-name=*)."),
            "interval": _(
                "Seconds to wait before checking again when the queue is empty "
                "(default: %(default)r)."
            ),
            "batch": _("Process all waiting tasks, then exit (can be combined with --max-tasks)."),
            "reload": _(
                "Restart the worker when the code changes; not for production, as tasks may be "
                "stopped uncleanly (default: DEBUG)."
            ),
            "backend_name": _("The task backend to use (default: %(default)r)."),
            "startup_delay": _("Do not wait a short moment at startup."),
            "max_tasks": _("The most tasks the worker runs before it exits (default: no limit)."),
            "worker_id": _(
                "The worker id; it must be unique among the workers (default: host:pid:token)."
            ),
        }
        for action in parser._actions:
            if action.dest in helps:
                action.help = helps[action.dest]

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        reload = options["reload"] and not options["batch"]
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
