"""`uprhub serve`: the production-grade WSGI server (waitress) with static files by WhiteNoise."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


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
        self._share_address(host, port)
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
                worker.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.wait(timeout=10)

    @staticmethod
    def _share_address(host: str, port: int) -> None:
        """Links in e-mail (here and from the worker) point back at this server, unless
        UPRHUB_SITE_URL says otherwise. Before any process is started: they inherit it."""
        from uprhub.core.mail import use_server_address

        use_server_address(host, port)

    def _start_worker(self) -> subprocess.Popen | None:
        """With the database task backend, mail is sent by a worker: start one beside us."""
        from django.conf import settings

        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return None
        self.stdout.write(_("Background worker started (mailing lists, reminders)."))
        return subprocess.Popen([sys.executable, "-m", "uprhub.cli", "worker"])
