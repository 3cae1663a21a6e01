from __future__ import annotations

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _ensure_after_migrate(sender: AppConfig, using: str = "default", **kwargs) -> None:
    """Re-create search triggers and tables that a later migration may have dropped.

    Django's SQLite schema editor rebuilds a table to alter it, which silently drops the table's
    triggers; this puts them back (and rebuilds the full-text index if it had to).
    """
    from uprhub.search.index import ensure_structures

    ensure_structures(connections[using])


def _data_changed(sender: object, **kwargs: object) -> None:
    from uprhub.search.index import mark_changed

    mark_changed()


def _enqueue_embedding(sender: object, **kwargs: object) -> None:
    from .tasks import embed_similarity

    embed_similarity.enqueue()


class SearchConfig(AppConfig):
    name = "uprhub.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from uprhub.core.pagecache import register_data_version

        from . import checks  # noqa: F401  (registers the system checks)
        from .index import current_version

        register_data_version(current_version)  # the public pages' cache key

        # sender=self: once per migrate run, after every app has been migrated.
        post_migrate.connect(_ensure_after_migrate, sender=self, dispatch_uid="search_ensure")
        # Importers announce changes; the data version (page cache, facets) follows.
        from uprhub.recommendations.signals import data_changed

        data_changed.connect(_data_changed, dispatch_uid="search-data-changed")
        from .signals import vectors_missing

        vectors_missing.connect(_enqueue_embedding, dispatch_uid="search-embed-missing")
