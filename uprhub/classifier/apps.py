from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _suggest_after_import(sender: Any, since: Any = None, **kwargs: Any) -> None:
    # Looked up at call time, so a test can observe the service.
    from . import services

    services.suggest_after_import(since=since)


class ClassifierConfig(AppConfig):
    name = "uprhub.classifier"
    verbose_name = _("Machine tagging")

    def ready(self) -> None:
        from uprhub.recommendations.signals import import_committed

        # Machine suggestions where a committed import left labels missing.
        import_committed.connect(_suggest_after_import, dispatch_uid="classifier-after-import")
