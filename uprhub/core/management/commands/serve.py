"""`uprhub serve`: the production-grade WSGI server (waitress) with static files by WhiteNoise."""

from __future__ import annotations

import contextlib

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Start UPR Hub's web server (migrations and bundled data are prepared first).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host: str, port: int, threads: int, **options) -> None:
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
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
