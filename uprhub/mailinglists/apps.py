from django.apps import AppConfig


class MailingListsConfig(AppConfig):
    name = "uprhub.mailinglists"
    verbose_name = "Mailing lists and deadline reminders"
