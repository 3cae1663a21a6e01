from django.apps import AppConfig


class MailingListsConfig(AppConfig):
    name = "uprhub.mailinglists"
    verbose_name = "Mailing lists and deadline reminders"

    def ready(self) -> None:
        from . import privacy

        privacy.register()  # its part of a person's data download and account deletion
