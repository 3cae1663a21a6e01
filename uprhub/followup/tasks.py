"""Follow-up's background work (run by ``uprhub worker``; inside the request under the
immediate backend)."""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import task

log = logging.getLogger(__name__)


@task
def store_evidence(review_id: int, use_semantic: bool | None = None) -> dict[str, Any]:
    """Compute and store the evidence suggestions of a review's recommendations (a minute at
    most for 347; `evidence_store.request_suggestions` enqueues it after checking who asks)."""
    from uprhub.reviews.models import Review

    from .evidence_store import compute_and_store
    from .selectors import EvidenceError

    review = Review.objects.filter(pk=review_id).first()
    if review is None:
        return {"error": "no such review"}
    try:
        return compute_and_store(review, use_semantic=use_semantic).as_dict()
    except EvidenceError as error:
        log.warning("evidence suggestions for review %s: %s", review_id, error)
        return {"error": str(error)}
