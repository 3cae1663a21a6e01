from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uprhub.core"
    verbose_name = "UPR Hub core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401 (registers the deploy checks)
        from .files import make_sqlite_files_private

        connection_created.connect(make_sqlite_files_private, dispatch_uid="uprhub-sqlite-0600")
