"""Stored evidence suggestions: the evidence finder run once for a whole review, kept as
`EvidenceSuggestion` rows, so the recommendation pages read them instead of ranking 347
recommendations on every visit.

Recomputing replaces the machine's suggestions nobody decided on yet; a suggestion someone
accepted or rejected stays as it is, with its decision, and is never suggested again as new
(the next best paragraph takes its place among the ``limit``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Document, Review

from . import evidence
from .models import EvidenceSuggestion, SuggestionStatus
from .selectors import EvidenceError

__all__ = ["StoreReport", "compute_and_store", "next_review_documents"]


@dataclass(frozen=True)
class StoreReport:
    """What a computation did (printed by the command, measured by the bench)."""

    recommendations: int
    written: int
    replaced: int
    kept: int
    method: str
    seconds: float

    def as_dict(self) -> dict[str, object]:
        return {
            "recommendations": self.recommendations,
            "written": self.written,
            "replaced": self.replaced,
            "kept": self.kept,
            "method": self.method,
            "seconds": round(self.seconds, 2),
        }


def next_review_documents(review: Review) -> dict[str, Document]:
    """The next review's evidence documents (/1, /2, /3) by symbol."""
    from .selectors import EVIDENCE_KINDS

    documents = Document.objects.filter(
        review__state_id=review.state_id,
        review__session__cycle_id=review.session.cycle_id + 1,
        kind__in=EVIDENCE_KINDS,
    ).exclude(text="")
    return {document.symbol: document for document in documents}


def compute_and_store(
    review: Review,
    *,
    actor: Actor = None,
    limit: int = evidence.DEFAULT_LIMIT,
    use_semantic: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> StoreReport:
    """Compute and store the ``limit`` best suggestions of every recommendation of ``review``
    against the next review's documents.

    ``actor`` None is the command line; otherwise a coordinator (``followup.manage_round``).
    Raises :class:`EvidenceError` when the review has no recommendations or the next review
    no documents.
    """
    require_perm(actor, "followup.manage_round", None)
    if limit < 1:
        raise EvidenceError(_("At least one suggestion per recommendation is needed."))
    started = time.monotonic()
    review = Review.objects.select_related("state", "session").get(pk=review.pk)
    iso3, cycle = review.state.iso3, review.session.cycle_id
    recommendation_ids = list(
        Recommendation.objects.filter(review=review).values_list("id", flat=True)
    )
    decided: dict[int, set[tuple[int, int]]] = {}
    for rec_id, document_id, paragraph in (
        EvidenceSuggestion.objects.filter(recommendation_id__in=recommendation_ids)
        .exclude(status=SuggestionStatus.SUGGESTED)
        .values_list("recommendation_id", "document_id", "paragraph")
    ):
        decided.setdefault(rec_id, set()).add((document_id, paragraph))
    # Ask for enough to still have `limit` new ones after leaving out the decided ones.
    extra = max((len(keys) for keys in decided.values()), default=0)
    found = evidence.find_evidence(
        iso3,
        cycle,
        limit=limit + extra,
        use_semantic=use_semantic,
        progress=progress,
    )
    documents = next_review_documents(review)
    rows: list[EvidenceSuggestion] = []
    method = found[0].method if found else evidence.FUSED
    for item in found:
        assert item.recommendation_id is not None
        skip = decided.get(item.recommendation_id, set())
        rank = 0
        for suggestion in item.evidence:
            document = documents.get(suggestion.document)
            if document is None or (document.pk, suggestion.paragraph) in skip:
                continue
            rank += 1
            rows.append(
                EvidenceSuggestion(
                    recommendation_id=item.recommendation_id,
                    document=document,
                    paragraph=suggestion.paragraph,
                    quote=suggestion.quote,
                    score=suggestion.score,
                    rank=rank,
                    method=item.method,
                )
            )
            if rank >= limit:
                break
    with transaction.atomic():
        # Someone may have decided on a suggestion while the ranking ran: theirs stays, and
        # the same paragraph is not stored again beside it.
        decided_now = set(
            EvidenceSuggestion.objects.filter(recommendation_id__in=recommendation_ids)
            .exclude(status=SuggestionStatus.SUGGESTED)
            .values_list("recommendation_id", "document_id", "paragraph")
        )
        rows = [
            r for r in rows if (r.recommendation_id, r.document.pk, r.paragraph) not in decided_now
        ]
        replaced, _by_model = EvidenceSuggestion.objects.filter(
            recommendation_id__in=recommendation_ids, status=SuggestionStatus.SUGGESTED
        ).delete()
        EvidenceSuggestion.objects.bulk_create(rows, batch_size=500)
    report = StoreReport(
        recommendations=len(found),
        written=len(rows),
        replaced=replaced,
        kept=sum(len(keys) for keys in decided.values()),
        method=method,
        seconds=time.monotonic() - started,
    )
    if progress:
        progress(
            _(
                "Stored %(written)s suggestions for %(recommendations)s recommendations "
                "(%(replaced)s earlier ones replaced, %(kept)s decided ones kept) in "
                "%(seconds).1f s"
            )
            % report.as_dict()
        )
    return report


@dataclass(frozen=True)
class StoredSuggestions:
    """Where a review's stored suggestions stand (the round page shows it)."""

    documents: list[str]  # the next review's documents the finder reads
    recommendations_with: int
    last_computed: object  # datetime | None

    @property
    def possible(self) -> bool:
        return bool(self.documents)


def suggestion_status(review: Review) -> StoredSuggestions:
    from django.db.models import Max

    stored = EvidenceSuggestion.objects.filter(recommendation__review=review)
    return StoredSuggestions(
        documents=sorted(next_review_documents(review)),
        recommendations_with=stored.values("recommendation").distinct().count(),
        last_computed=stored.aggregate(last=Max("computed_at"))["last"],
    )
