from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "uprhub.followup"
    verbose_name = _("Follow up: implementation and evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import calendar_events, privacy, receivers

        calendar_events.register()
        receivers.connect()
        privacy.register()  # its part of a person's data download and account deletion
