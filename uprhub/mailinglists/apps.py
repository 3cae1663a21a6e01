from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_default_lists(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # The data migration creates them once; after a database flush (which re-sends
    # post_migrate, e.g. between transactional tests) they are made again, never overwritten.
    from django.db import connections

    from .defaults import ensure_default_lists
    from .models import MailingList

    if MailingList._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back before the lists existed
    ensure_default_lists(MailingList)


class MailingListsConfig(AppConfig):
    name = "uprhub.mailinglists"
    verbose_name = "Mailing lists and deadline reminders"

    def ready(self) -> None:
        from . import privacy

        privacy.register()  # its part of a person's data download and account deletion
        post_migrate.connect(_ensure_default_lists, sender=self, dispatch_uid="default_lists")
