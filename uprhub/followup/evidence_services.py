"""Deciding on the evidence finder's suggestions: accept one into evidence (the coalition's
draft position, or one's organisation's assessment), or reject it.

Both are decisions of the round's assessors and reviewers (``followup.decide_evidence``) while
the round is open; accepting also needs the owner's own rule (``followup.draft_position`` for a
position: a draft; ``followup.assess`` for an organisation's assessment). Accepting twice into
the same owner gives one evidence item.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.core.rules import Actor, require_perm

from .models import (
    Assessment,
    AssessmentRound,
    EvidenceItem,
    EvidenceKind,
    EvidenceSuggestion,
    Position,
    PositionStatus,
    SuggestionStatus,
)
from .policy import AssessTarget

__all__ = ["EvidenceDecisionError", "accept_suggestion", "reject_suggestion"]


class EvidenceDecisionError(Exception):
    """A decision that cannot be taken; the message says why (translated)."""


def _round_closed() -> EvidenceDecisionError:
    return EvidenceDecisionError(_("This round is closed: it takes no more changes."))


def _check_same_review(suggestion: EvidenceSuggestion, round_: AssessmentRound) -> None:
    review_id = (
        EvidenceSuggestion.objects.filter(pk=suggestion.pk)
        .values_list("recommendation__review_id", flat=True)
        .first()
    )
    if review_id != round_.review_id:
        raise EvidenceDecisionError(
            _("This suggestion is for a recommendation of another review than this round's.")
        )


def accept_suggestion(
    actor: Actor, suggestion: EvidenceSuggestion, owner: Position | Assessment
) -> EvidenceItem:
    """Quote the suggested paragraph as evidence of ``owner`` (a position or an assessment of
    the suggestion's recommendation) and mark the suggestion accepted. Returns the item (the
    one made earlier, when the suggestion was already accepted into that owner)."""
    round_ = owner.round
    require_perm(actor, "followup.decide_evidence", round_, state_error=_round_closed())
    if isinstance(owner, Position):
        no_longer = EvidenceDecisionError(
            _(
                "The coalition's position is no longer a draft (or the round is closed): "
                "its evidence cannot change."
            )
        )
        if owner.status == PositionStatus.IN_REVIEW:
            # In review, its reviewers still change it (as they change its grade).
            require_perm(actor, "followup.review", owner, state_error=no_longer)
        else:
            require_perm(actor, "followup.draft_position", owner, state_error=no_longer)
    else:
        require_perm(
            actor,
            "followup.assess",
            AssessTarget(round_, owner.organisation),
            state_error=_round_closed(),
        )
    if owner.recommendation_id != suggestion.recommendation_id:
        raise EvidenceDecisionError(
            _("This suggestion is for another recommendation than this assessment's.")
        )
    _check_same_review(suggestion, round_)
    owner_field = "position" if isinstance(owner, Position) else "assessment"
    with transaction.atomic():
        # The lock makes two simultaneous accepts of one suggestion give one item.
        current = (
            EvidenceSuggestion.objects.select_for_update()
            .select_related("document")
            .get(pk=suggestion.pk)
        )
        existing = EvidenceItem.objects.filter(suggestion=current, **{owner_field: owner}).first()
        if existing is None:
            last = EvidenceItem.objects.filter(**{owner_field: owner}).aggregate(Max("order"))
            existing = EvidenceItem.objects.create(
                **{owner_field: owner},
                kind=EvidenceKind.UN_DOCUMENT,
                document_symbol=current.document.symbol,
                paragraph=current.paragraph,
                quote=current.quote[:3000],
                date=current.document.published,
                suggestion=current,
                order=(last["order__max"] or 0) + 1,
                added_by=actor,
            )
        if current.status != SuggestionStatus.ACCEPTED:
            current.status = SuggestionStatus.ACCEPTED
            current.decided_by = actor
            current.decided_at = timezone.now()
            current.save(update_fields=["status", "decided_by", "decided_at"])
    suggestion.refresh_from_db()
    return existing


def reject_suggestion(
    actor: Actor, suggestion: EvidenceSuggestion, round_: AssessmentRound
) -> EvidenceSuggestion:
    """Mark the suggestion rejected (kept so recomputing never suggests it again). A suggestion
    already quoted as evidence is not rejected: remove the evidence item instead."""
    require_perm(actor, "followup.decide_evidence", round_, state_error=_round_closed())
    _check_same_review(suggestion, round_)
    with transaction.atomic():
        current = EvidenceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if current.status == SuggestionStatus.ACCEPTED or current.items.exists():
            raise EvidenceDecisionError(
                _(
                    "This suggestion was accepted as evidence; remove the evidence item "
                    "instead of rejecting it."
                )
            )
        if current.status != SuggestionStatus.REJECTED:
            current.status = SuggestionStatus.REJECTED
            current.decided_by = actor
            current.decided_at = timezone.now()
            current.save(update_fields=["status", "decided_by", "decided_at"])
    suggestion.refresh_from_db()
    return suggestion
