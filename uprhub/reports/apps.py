from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "uprhub.reports"
    verbose_name = "Shadow reports"

    def ready(self) -> None:
        from . import privacy

        privacy.register()  # its part of a person's data download and account deletion
