from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "uprhub.coalition"
    verbose_name = "UPR Taskforce"

    def ready(self) -> None:
        from . import privacy

        privacy.register()  # its part of a person's data download and account deletion
