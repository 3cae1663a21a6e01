from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_shipped_scales(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # The data migration loads them once; after a database flush (which re-sends
    # post_migrate, e.g. between transactional tests) they are loaded again if the table is
    # empty, never changing scales that are there.
    from django.db import connections

    from .models import Grade, Scale
    from .scales import load_scales

    if Scale._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back before the scales existed
    if not Scale.objects.using(using).exists():
        load_scales(Scale, Grade)


class FollowupConfig(AppConfig):
    name = "uprhub.followup"
    verbose_name = _("Follow up: implementation and evidence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import calendar_events, privacy, receivers

        calendar_events.register()
        receivers.connect()
        privacy.register()  # its part of a person's data download and account deletion
        post_migrate.connect(_ensure_shipped_scales, sender=self, dispatch_uid="shipped_scales")
