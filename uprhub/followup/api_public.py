"""Follow-up's public API (no sign-in): published scorecards and positions only.

Its `router` is added to `api.router` (``/api/followup/…``). Everything is read through
`scorecard`, which asks `Position.objects.published()`: a draft never appears here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from . import scorecard, scorecard_cache, scorecard_export

router = Router(tags=["follow-up"])

MAX_PAGE_SIZE = 500


class RoundOut(Schema):
    slug: str
    name: str
    as_of: date
    scale: str
    cycle: int
    published: int = Field(description="Recommendations with a published position.")


class ScorecardQuery(Schema):
    round: str = Field("", description="A round's slug (default: the latest published).")


class PositionsQuery(ScorecardQuery):
    page: int = 1
    page_size: int = 50


def _card(iso3: str, cycle: int, round_slug: str) -> scorecard.Scorecard:
    review = scorecard.review_or_404(iso3, cycle)
    rounds = scorecard.published_rounds(review)
    return scorecard_cache.scorecard_for(review, scorecard.choose_round(rounds, round_slug), rounds)


@router.get("/states/{iso3}/rounds", response=list[RoundOut])
def state_rounds(request: HttpRequest, iso3: str) -> list[dict[str, Any]]:
    """The State's assessment rounds with published positions, latest first."""
    return scorecard.published_rounds_of_state(iso3)


@router.get("/scorecards/{iso3}/{cycle}", response=dict[str, Any])
def scorecard_figures(
    request: HttpRequest, iso3: str, cycle: int, query: Query[ScorecardQuery]
) -> dict[str, Any]:
    """The figures of a State's cycle in one round: counts by grade, bucket, theme,
    recommending State, regional group and response; the headline "supported but not
    implemented"; the comparison with the round before."""
    return scorecard_export.figures(_card(iso3, cycle, query.round))


@router.get("/scorecards/{iso3}/{cycle}/positions", response=dict[str, Any])
def scorecard_positions(
    request: HttpRequest, iso3: str, cycle: int, query: Query[PositionsQuery]
) -> dict[str, Any]:
    """The published positions of a round, by paragraph, a page at a time (grade,
    rationale, evidence, the State's claims, organisations that disagree)."""
    card = _card(iso3, cycle, query.round)
    rows = [row for row in card.rows if row.assessed]
    size = min(max(1, query.page_size), MAX_PAGE_SIZE)
    pages = max(1, -(-len(rows) // size))
    if query.page < 1 or query.page > pages:
        raise Http404("No such page.")
    start = (query.page - 1) * size
    return {
        "round": card.round.slug,
        "count": len(rows),
        "page": query.page,
        "pages": pages,
        "results": [scorecard_export.row_to_dict(r) for r in rows[start : start + size]],
    }
