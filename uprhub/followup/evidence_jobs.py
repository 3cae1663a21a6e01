"""Asking for a review's evidence suggestions from the web: checked here, computed by the
worker (`tasks.store_evidence`, which calls `evidence_store.compute_and_store`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from uprhub.core.rules import Actor, require_perm
from uprhub.reviews.models import Review

from .evidence_store import next_review_documents
from .selectors import EvidenceError
from .tasks import store_evidence


def request_suggestions(actor: Actor, review: Review) -> None:
    """Compute the review's suggestions in the background (coordinators, the command line);
    refused at once when the next review has no document to read."""
    require_perm(actor, "followup.manage_round")
    if not next_review_documents(review):
        raise EvidenceError(
            _(
                "The next review's UN documents (compilation /2, stakeholders' summary /3, "
                "national report /1) are not imported: there is nothing to find evidence in yet."
            )
        )
    transaction.on_commit(lambda: store_evidence.enqueue(review.pk))
