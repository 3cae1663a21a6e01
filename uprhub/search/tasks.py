"""Background tasks of the search layer (Django 6 `django.tasks`).

``embed_similarity`` computes the sentence embeddings of recommendations that have none yet,
for the optional semantic "similar recommendations" (:mod:`uprhub.search.semantic`). The web
process enqueues it when it meets such rows; ``uprhub worker`` runs it.
"""

from __future__ import annotations

from typing import Any

from django.tasks import task

from . import semantic

#: Texts embedded per run; a run re-enqueues itself for the rest (about a minute of work).
BATCH = 2000


def _can_defer() -> bool:
    return bool(getattr(embed_similarity.get_backend(), "supports_defer", False))


@task
def embed_similarity(limit: int = BATCH) -> dict[str, Any]:
    """Embed up to ``limit`` texts without a vector; re-enqueue itself while some remain.

    Only on backends that queue (the database one): under the immediate backend a run stays
    within the request that enqueued it, and the rest waits for the next one (or for
    ``uprhub similarity embed``).
    """
    if not semantic.enabled():
        return {"skipped": "semantic similarity is off or its extra is not installed"}
    # An encoder for this run only: the worker does not keep ~200 MB of model between runs.
    report = semantic.embed_missing(limit=limit, encoder=semantic.fresh_encoder())
    if report.remaining and report.embedded and _can_defer():
        embed_similarity.enqueue(limit)
    return report.as_dict()
