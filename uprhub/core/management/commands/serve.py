"""`uprhub serve`: the production-grade WSGI server (waitress) with static files by WhiteNoise."""

from __future__ import annotations

import contextlib
import signal
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from uprhub.core.supervisor import WorkerSupervisor


class Command(BaseCommand):
    help = _("Start UPR Hub's web server (migrations and bundled data are prepared first).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("Do not start the background worker (run `uprhub worker` separately)."),
        )

    def handle(self, *args, host: str, port: int, threads: int, no_worker: bool, **options) -> None:
        from waitress import create_server

        from uprhub.core.bootstrap import prepare_database
        from uprhub.wsgi import application

        prepare_database(say=self.stderr.write)
        # Bind before announcing the URL, so whoever reads it can connect at once.
        server = create_server(application, host=host, port=port, threads=threads, ident="UPR Hub")
        shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
        self.stdout.write(
            _("UPR Hub is running at http://%(host)s:%(port)s/") % {"host": shown, "port": port}
        )
        self.stdout.write(_("Press Ctrl+C to stop."))
        self.stdout.flush()
        worker = None if no_worker else self._start_worker()
        # Turn SIGTERM into a normal exit so the worker is stopped with us.
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
        try:
            with contextlib.suppress(KeyboardInterrupt):
                server.run()
        finally:
            if worker is not None:
                worker.stop()

    def _start_worker(self) -> WorkerSupervisor | None:
        """With the database task backend, mail is sent by a worker: keep one alive beside us."""
        from django.conf import settings

        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return None
        self.stdout.write(_("Background worker started (mailing lists, reminders)."))
        supervisor = WorkerSupervisor()  # restarts it with back-off when it dies
        supervisor.start()
        return supervisor
