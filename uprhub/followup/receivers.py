"""Reactions to other apps' signals: registered in ``FollowupConfig.ready()``.

* After a committed import (``recommendations.signals.import_committed``), the reviews whose
  recommendations changed are relinked to their earlier cycle, and the same States' later
  reviews to them (:func:`.carry_forward.relink_state_reviews`). The import is already kept: a
  failure is logged, never raised. The first run's bundled load imports each file through the
  same runner, so it produces the links too.
* Publishing (or unpublishing) a coalition position changes public pages (recommendation and
  State panels), which the page cache keys by the data version; the database's triggers do not
  watch follow-up's tables, so the version is moved here (``search.index.mark_changed``).
* The panels on the recommendation and State pages (:mod:`.panels`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

log = logging.getLogger(__name__)


def relink_after_import(sender: Any, since: datetime | None = None, **kwargs: Any) -> None:
    """Relink the reviews an import changed. Must not raise (the import is committed)."""
    from uprhub.recommendations.models import Recommendation

    from . import carry_forward

    if since is None:
        return
    try:
        changed = set(
            Recommendation.objects.filter(updated_at__gte=since)
            .values_list("review_id", flat=True)
            .distinct()
        )
        runs = carry_forward.relink_state_reviews(changed)
        if runs:
            log.info(
                "carry-forward: %s reviews relinked, %s links",
                len(runs),
                sum(len(run.links) for run in runs),
            )
    except Exception:  # the import stands; `uprhub followup link` can be run by hand
        log.exception("carry-forward links could not be made after the import")


def _remember_status(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Was it published before this save? (Only asked when it is not published now.)
    instance._was_published = bool(
        instance.pk
        and instance.status != "published"
        and sender.objects.filter(pk=instance.pk, status="published").exists()
    )


def _position_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from uprhub.search.index import mark_changed

    if instance.status == "published" or getattr(instance, "_was_published", False):
        mark_changed()


def connect() -> None:
    """Connect the receivers (carry-forward links after an import, the page cache after a
    publication) and register the pages' panels."""
    from uprhub.recommendations import panels as page_panels
    from uprhub.recommendations.signals import import_committed

    from . import panels
    from .models import Position

    import_committed.connect(relink_after_import, dispatch_uid="followup-relink-after-import")
    pre_save.connect(_remember_status, sender=Position, dispatch_uid="followup-position-was")
    post_save.connect(_position_changed, sender=Position, dispatch_uid="followup-position-saved")
    post_delete.connect(
        _position_changed, sender=Position, dispatch_uid="followup-position-deleted"
    )
    page_panels.register_panel(page_panels.RECOMMENDATION, panels.recommendation_panel)
    page_panels.register_panel(page_panels.STATE, panels.state_panel)
