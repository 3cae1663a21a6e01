"""`uprhub serve`: the production web server (gunicorn workers; waitress where there is no fork)
with static files by WhiteNoise, and the background worker beside it."""

from __future__ import annotations

import os
import signal
import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from uprhub.core.supervisor import WorkerSupervisor
from uprhub.site import server


class Command(BaseCommand):
    help = _("Start UPR Hub's web server (migrations and bundled data are prepared first).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=server.default_workers(),
            help=_("Web server processes (default: one per core). Ignored without fork."),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=server.DEFAULT_THREADS,
            help=_("Threads in each web server process."),
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help=_("Do not start the background worker (run `uprhub worker` separately)."),
        )

    def handle(
        self, *args, host: str, port: int, workers: int, threads: int, no_worker: bool, **options
    ) -> None:
        from django.core.wsgi import get_wsgi_application

        from uprhub.site.bootstrap import prepare_database

        # What `uprhub.wsgi.application` is, built here: that module is for outside WSGI
        # servers and sits above every app, so nothing inside the project imports it.
        application = get_wsgi_application()
        prepare_database(say=self._say, progress_stream=self.stderr._out)
        self._share_address(host, port)
        notes = self._start_notes(host, port)
        started_by = os.getpid()
        worker: WorkerSupervisor | None = None

        def ready() -> None:
            nonlocal worker
            self._announce(host, port, notes)
            worker = None if no_worker else self._start_worker()

        # Turn SIGTERM into a normal exit so the worker is stopped with us (gunicorn installs
        # its own handlers, which stop its workers and then exit the same way).
        signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
        try:
            self._run_server(application, host, port, workers, threads, ready)
        finally:
            # Gunicorn's workers are forks of this process and leave through here too: only the
            # process that started the background worker stops it.
            if worker is not None and os.getpid() == started_by:
                worker.stop()

    def _say(self, line: str) -> None:
        # Line by line as it happens: the first start's progress must not wait in a buffer.
        self.stderr.write(line)
        self.stderr.flush()

    def _run_server(self, application, host: str, port: int, workers: int, threads: int, ready):
        """Serve until stopped; `ready` runs once the port is bound."""
        if server.can_fork():
            server.run_gunicorn(
                application, host=host, port=port, workers=workers, threads=threads, on_ready=ready
            )
        else:
            server.run_waitress(application, host=host, port=port, threads=threads, on_ready=ready)

    def _announce(self, host: str, port: int, notes: list[str]) -> None:
        shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
        self.stdout.write(
            _("UPR Hub is running at http://%(host)s:%(port)s/") % {"host": shown, "port": port}
        )
        for note in notes:
            self.stdout.write(note)
        self.stdout.write(_("Press Ctrl+C to stop."))
        self.stdout.flush()

    @staticmethod
    def _start_notes(host: str, port: int) -> list[str]:
        """What the person starting the server needs to know: where mail goes when there is
        no mail server, and how to create the first administrator."""
        from django.db import connections

        from uprhub.accounts.selectors import has_admin
        from uprhub.core.mail import server_address_url
        from uprhub.core.outbox import mail_is_captured

        notes: list[str] = []
        if mail_is_captured():
            notes.append(
                _(
                    "No mail server is configured (UPRHUB_EMAIL_HOST is not set): e-mail is not "
                    "sent. Each message is printed here and kept on the Outbox page for "
                    "administrators: %(url)s"
                )
                % {"url": f"{server_address_url(host, port)}/outbox/"}
            )
        if not has_admin():
            notes.append(
                _(
                    "No administrator yet. Create the first one in another terminal: "
                    "uprhub createadmin you@example.org"
                )
            )
        # Asked before the web server forks its workers: they must not share this connection.
        connections.close_all()
        return notes

    @staticmethod
    def _share_address(host: str, port: int) -> None:
        """Links in e-mail (here and from the worker) point back at this server, unless
        UPRHUB_SITE_URL says otherwise. Before any process is started: they inherit it."""
        from uprhub.core.mail import use_server_address

        use_server_address(host, port)

    def _start_worker(self) -> WorkerSupervisor | None:
        """With the database task backend, mail is sent by a worker: keep one alive beside us."""
        from django.conf import settings

        if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
            return None
        self.stdout.write(_("Background worker started (e-mail, mailing lists, reminders)."))
        self.stdout.flush()
        supervisor = WorkerSupervisor()  # restarts it with back-off when it dies
        supervisor.start()
        return supervisor
