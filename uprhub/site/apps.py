from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "uprhub.site"
    label = "site"
    verbose_name = "UPR Hub site"

    def ready(self) -> None:
        from . import privacy

        privacy.register()  # the e-mail outbox's part of a person's data and account deletion
