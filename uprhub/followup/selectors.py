"""Reads for the evidence finder: a State's recommendations of one cycle, and the UN documents
of its next review."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from uprhub.recommendations.models import Label, Recommendation
from uprhub.reviews.models import Document, DocumentKind, Review, State

# The pre-session documents, in the order they are cited: /1, /2, /3.
EVIDENCE_KINDS = (
    DocumentKind.NATIONAL_REPORT,
    DocumentKind.COMPILATION,
    DocumentKind.STAKEHOLDER_SUMMARY,
)


class EvidenceError(Exception):
    """A request the evidence finder cannot answer; the message says why (translated)."""


def state_or_error(iso3: str) -> State:
    state = State.objects.filter(iso3=iso3.strip().upper()).first()
    if state is None:
        raise EvidenceError(
            _("Unknown State: %(code)s (give its ISO3 code, e.g. USA).") % {"code": iso3}
        )
    return state


def review_of_cycle(iso3: str, cycle: int) -> Review | None:
    """A State's review of one cycle, named by ISO3 code: the latest session of the cycle that
    has recommendations (the US has two 4th-cycle sessions, 50 and 53), else the latest one.
    The one lookup of the command line, the scorecards, rounds and claims."""
    from django.db.models import Exists, OuterRef

    has_recommendations = Exists(Recommendation.objects.filter(review=OuterRef("pk")))
    return (
        Review.objects.filter(state__iso3=iso3.strip().upper(), session__cycle_id=cycle)
        .select_related("state", "session")
        .annotate(has_recommendations=has_recommendations)
        .order_by("-has_recommendations", "-session__number")
        .first()
    )


def recommendations_for(
    iso3: str, cycle: int, paragraphs: Sequence[str] | None = None
) -> list[Recommendation]:
    """The State's recommendations of that cycle in their order (only ``paragraphs`` if given)."""
    state = state_or_error(iso3)
    rows = (
        Recommendation.objects.for_state(state.code)
        .in_cycle(cycle)
        .order_by("paragraph_sort", "id")
    )
    found = list(rows.only("id", "paragraph", "text", "text_key"))
    if not found:
        raise EvidenceError(
            _("%(state)s has no recommendations in cycle %(cycle)s.")
            % {"state": state.short_name, "cycle": cycle}
        )
    if paragraphs:
        wanted = {p.strip() for p in paragraphs}
        missing = sorted(wanted - {r.paragraph for r in found})
        if missing:
            raise EvidenceError(
                _("No recommendation %(paragraphs)s of %(state)s in cycle %(cycle)s.")
                % {"paragraphs": ", ".join(missing), "state": state.short_name, "cycle": cycle}
            )
        found = [r for r in found if r.paragraph in wanted]
    return found


def next_cycle_documents(iso3: str, cycle: int) -> list[tuple[str, str]]:
    """(symbol, text) of the State's /1, /2 and /3 documents of the next cycle, in that order."""
    state = state_or_error(iso3)
    documents = (
        Document.objects.filter(
            review__state=state, review__session__cycle_id=cycle + 1, kind__in=EVIDENCE_KINDS
        )
        .exclude(text="")
        .values_list("kind", "symbol", "text")
    )
    order: dict[str, int] = {str(kind): n for n, kind in enumerate(EVIDENCE_KINDS)}
    found = sorted(documents, key=lambda row: (order[row[0]], row[1]))
    if not found:
        raise EvidenceError(
            _(
                "No UN document of %(state)s's review in cycle %(next)s (national report, "
                "compilation or stakeholders' summary) is imported: nothing to find evidence in."
            )
            % {"state": state.short_name, "next": cycle + 1}
        )
    return [(symbol, text) for _kind, symbol, text in found]


def theme_names(recommendations: Sequence[Recommendation]) -> dict[int, tuple[str, ...]]:
    """The names of each recommendation's themes (human labels, any vocabulary), by id."""
    names: dict[int, list[str]] = {}
    rows = Label.objects.filter(recommendation__in=[r.id for r in recommendations]).values_list(
        "recommendation_id", "theme__name"
    )
    for recommendation_id, name in rows:
        names.setdefault(recommendation_id, []).append(name)
    return {key: tuple(sorted(set(value))) for key, value in names.items()}


# --- stored suggestions, for the recommendation page ---------------------------------------------

#: A stored score at least this high reads "strong match" (else "possible match"). Measured on
#: the labelled sample's stored suggestions (method ``fused``, 5 per recommendation): 79 of
#: 123 strongly relevant ones score at least 0.45, and 21 of 182 others; 4 in 5 "strong"
#: matches are relevant. Without the encoder (``fused-lexical``): 68 of 115 and 15 of 190,
#: the same precision, so one threshold serves both.
STRONG_MATCH = 0.45


def match_words(score: float) -> str:
    """A score as words: people judge "strong" and "possible", not 0.47."""
    return _("strong match") if score >= STRONG_MATCH else _("possible match")


def suggestions_context(round_: Any, recommendation: Any, user: Any) -> dict[str, Any]:
    """What ``followup/evidence/_suggestions.html`` shows: the stored suggestions for one
    recommendation (best first, rejected ones left out), where this person may accept them
    (the coalition's draft position, their organisations' assessments) and whether they may
    decide at all."""
    from uprhub.core.rules import has_perm

    from .models import (
        Assessment,
        EvidenceSuggestion,
        Position,
        RoundRole,
        RoundRoleKind,
        SuggestionStatus,
    )
    from .policy import AssessTarget, may_change_position

    stored = EvidenceSuggestion.objects.filter(recommendation=recommendation).select_related(
        "document"
    )
    rows = [
        s for s in stored.order_by("rank", "-score", "pk") if s.status != SuggestionStatus.REJECTED
    ]
    rejected = sum(1 for s in stored if s.status == SuggestionStatus.REJECTED)
    may_decide = has_perm(user, "followup.decide_evidence", round_)
    position = None
    if may_decide:
        found = Position.objects.filter(round=round_, recommendation=recommendation).first()
        if found is not None and may_change_position(user, found):
            position = found
    assessments: list[Any] = []
    if may_decide and getattr(user, "pk", None):
        organisations = RoundRole.objects.filter(
            round=round_, user=user, role=RoundRoleKind.ASSESSOR
        ).values_list("organisation_id", flat=True)
        assessments = [
            a
            for a in Assessment.objects.filter(
                round=round_, recommendation=recommendation, organisation_id__in=organisations
            ).select_related("organisation")
            if has_perm(user, "followup.assess", AssessTarget(round_, a.organisation))
        ]
    accepted_into: dict[int, set[str]] = {}
    if rows:
        from .models import EvidenceItem

        for suggestion_id, position_id, assessment_id in EvidenceItem.objects.filter(
            suggestion__in=[s.pk for s in rows]
        ).values_list("suggestion_id", "position_id", "assessment_id"):
            accepted_into.setdefault(suggestion_id, set()).add(
                f"position-{position_id}" if position_id else f"assessment-{assessment_id}"
            )
    items = [
        {
            "suggestion": s,
            "match": match_words(s.score),
            "strong": s.score >= STRONG_MATCH,
            "in_position": position is not None
            and f"position-{position.pk}" in accepted_into.get(s.pk, set()),
            "in_assessments": {
                a.pk for a in assessments if f"assessment-{a.pk}" in accepted_into.get(s.pk, ())
            },
        }
        for s in rows
    ]
    review = recommendation.review
    return {
        "recommendation": recommendation,
        "round": round_,
        "user": user,
        "evidence_suggestions": items,
        "evidence_rejected": rejected,
        "evidence_may_decide": may_decide and not round_.closed,
        "evidence_position": position,
        "evidence_assessments": assessments,
        "evidence_command": (
            f"uprhub followup evidence {review.state.iso3} --cycle {review.session.cycle_id} "
            "--store"
        ),
    }


def round_by_slug(slug: str) -> Any:
    """The assessment round with that short name, or None."""
    from .models import AssessmentRound

    return AssessmentRound.objects.select_related("review").filter(slug=slug).first()


def suggestion_in_round(round_: Any, pk: int) -> Any:
    """The stored suggestion ``pk`` if it is for a recommendation of the round's review."""
    from .models import EvidenceSuggestion

    return (
        EvidenceSuggestion.objects.select_related("document", "recommendation")
        .filter(pk=pk, recommendation__review_id=round_.review_id)
        .first()
    )


def evidence_owner(
    round_: Any, suggestion: Any, user: Any, *, into: str, assessment_id: int | None = None
) -> Any:
    """Where an accepted suggestion goes: the coalition's position on its recommendation
    (``into`` "position"), or the assessment of one of the organisations ``user`` assesses for
    in the round (that one, with ``assessment_id``). None when there is none yet."""
    from .models import Assessment, Position, RoundRole, RoundRoleKind

    if into == "position":
        return Position.objects.filter(
            round=round_, recommendation_id=suggestion.recommendation_id
        ).first()
    organisations = RoundRole.objects.filter(
        round=round_, user=user, role=RoundRoleKind.ASSESSOR
    ).values_list("organisation_id", flat=True)
    found = Assessment.objects.filter(
        round=round_,
        recommendation_id=suggestion.recommendation_id,
        organisation_id__in=organisations,
    ).select_related("organisation", "round")
    if assessment_id is not None:
        found = found.filter(pk=assessment_id)
    return found.first()
