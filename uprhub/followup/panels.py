"""Follow-up's panels on the public recommendation and State pages (registered in
``receivers.connect()`` through :mod:`uprhub.recommendations.panels`).

Public pages: only published coalition positions count (``Position.objects.published()``),
never drafts, never who drafted. Each panel costs a fixed number of queries, whatever the
number of recommendations (the tests hold them to it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from uprhub.recommendations.models import Label, Recommendation, Theme
from uprhub.reviews.models import State

from .models import NOT_IMPLEMENTED_BUCKETS, Bucket, CarryForward, LinkKind, Position

RECOMMENDATION_TEMPLATE = "followup/carry/_recommendation_panel.html"
STATE_TEMPLATE = "followup/carry/_state_panel.html"
#: Themes shown in the State's timeline (those with the most recommendations).
TIMELINE_THEMES = 20
_NOT_IMPLEMENTED = frozenset(str(b) for b in NOT_IMPLEMENTED_BUCKETS)
BUCKET_ORDER = tuple(str(b) for b in Bucket.values)


def latest_published(recommendation_ids: list[int]) -> dict[int, Position]:
    """Each recommendation's latest published coalition position (one query)."""
    if not recommendation_ids:
        return {}
    rows = (
        Position.objects.published()
        .filter(recommendation_id__in=recommendation_ids)
        .select_related("grade", "round")
        .order_by("recommendation_id", "-as_of", "-published_at", "-pk")
    )
    found: dict[int, Position] = {}
    for position in rows:
        found.setdefault(position.recommendation_id, position)
    return found


@dataclass
class EarlierItem:
    recommendation: Recommendation
    kind: str
    kind_label: str
    score: float
    position: Position | None

    @property
    def not_implemented(self) -> bool:
        return self.position is not None and self.position.grade.bucket in _NOT_IMPLEMENTED


def recommendation_panel(recommendation: Recommendation) -> tuple[str, dict[str, Any]] | None:
    """Earlier recommendations on the same measure, later ones repeating this one, or "new"
    (two queries, a third for the published grades when there are earlier ones)."""
    links = list(
        CarryForward.objects.filter(Q(later=recommendation) | Q(earlier=recommendation))
        .select_related("earlier__review__session", "later__review__session")
        .order_by("-score", "pk")
    )
    earlier_links = [link for link in links if link.later_id == recommendation.pk]
    later_links = sorted(
        (link for link in links if link.earlier_id == recommendation.pk),
        key=lambda link: (link.later.review.session_id, link.later.paragraph_sort or 0),
    )
    positions = latest_published([link.earlier_id for link in earlier_links])
    earlier = [
        EarlierItem(
            recommendation=link.earlier,
            kind=link.kind,
            kind_label=str(LinkKind(link.kind).label),
            score=link.score,
            position=positions.get(link.earlier_id),
        )
        for link in earlier_links
    ]
    later_by_cycle: dict[int, list[Recommendation]] = defaultdict(list)
    for link in later_links:
        later_by_cycle[int(link.later.review.session.cycle_id)].append(link.later)
    review = recommendation.review
    # "New" only means something where an earlier cycle is there to compare with.
    comparable = (
        not earlier
        and int(review.session.cycle_id) > 1
        and Recommendation.objects.filter(
            review__state_id=review.state_id,
            review__session__cycle_id__lt=review.session.cycle_id,
        ).exists()
    )
    if not earlier and not later_links and not comparable:
        return None
    context = {
        "recommendation": recommendation,
        "earlier": earlier,
        "still_not_implemented": any(item.not_implemented for item in earlier),
        "later": sorted(later_by_cycle.items()),
        "is_new": comparable,
    }
    return RECOMMENDATION_TEMPLATE, context


@dataclass
class TimelineCell:
    recommendations: int = 0
    repeated: int = 0
    strengthened: int = 0
    new: int = 0
    buckets: Counter[str] = field(default_factory=Counter)

    @property
    def bucket_list(self) -> list[tuple[str, str, int]]:
        return [(b, str(Bucket(b).label), self.buckets[b]) for b in BUCKET_ORDER if self.buckets[b]]


@dataclass
class TimelineRow:
    theme: str
    cells: list[TimelineCell]

    @property
    def total(self) -> int:
        return sum(cell.recommendations for cell in self.cells)


def _theme_groups(names: dict[int, str]) -> dict[int, int]:
    """Each theme's group: themes `same_as` joins, and themes of the same name in different
    vocabularies ("Death penalty" in UPR Info's issues and in OHCHR's themes), so the cycles'
    vocabularies meet (one query)."""
    theme_ids = set(names)
    parent = {pk: pk for pk in theme_ids}

    def find(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    pairs = Theme.same_as.through.objects.filter(from_theme_id__in=theme_ids).values_list(
        "from_theme_id", "to_theme_id"
    )
    by_name: dict[str, int] = {}
    same_name = [(pk, by_name.setdefault(name.casefold(), pk)) for pk, name in names.items()]
    for a, b in [*pairs, *same_name]:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {pk: find(pk) for pk in theme_ids}


def state_summary(state: State) -> dict[str, Any] | None:
    """The latest cycle's repeats, and a per-theme timeline across cycles (a fixed number of
    queries)."""
    recs = list(
        Recommendation.objects.filter(review__state=state).values_list(
            "id", "review__session__cycle_id"
        )
    )
    cycles = sorted({int(cycle) for _pk, cycle in recs})
    if len(cycles) < 2:
        return None  # nothing to compare: no panel
    cycle_of = {pk: int(cycle) for pk, cycle in recs}
    links = list(
        CarryForward.objects.filter(later__review__state=state)
        .order_by("later_id", "-score")
        .values_list("later_id", "earlier_id", "kind")
    )
    best_kind: dict[int, str] = {}
    earlier_of: dict[int, list[int]] = defaultdict(list)
    for later_id, earlier_id, kind in links:
        best_kind.setdefault(later_id, kind)
        earlier_of[later_id].append(earlier_id)
    positions = Position.objects.published().filter(recommendation__review__state=state)
    bucket_of: dict[int, str] = {}
    for rec_id, bucket in positions.order_by(
        "recommendation_id", "-as_of", "-published_at", "-pk"
    ).values_list("recommendation_id", "grade__bucket"):
        bucket_of.setdefault(rec_id, bucket)

    latest = cycles[-1]
    latest_ids = [pk for pk, cycle in cycle_of.items() if cycle == latest]
    repeating = [pk for pk in latest_ids if pk in best_kind]
    still_not = [
        pk for pk in repeating if any(bucket_of.get(e) in _NOT_IMPLEMENTED for e in earlier_of[pk])
    ]
    # Timeline: themes (joined through same_as) × cycles.
    label_rows = list(
        Label.objects.filter(recommendation__review__state=state).values_list(
            "recommendation_id", "theme_id", "theme__name"
        )
    )
    names = {theme_id: name for _rec, theme_id, name in label_rows}
    groups = _theme_groups(names)
    index = {cycle: n for n, cycle in enumerate(cycles)}
    table: dict[int, list[TimelineCell]] = {}
    counted: set[tuple[int, int]] = set()
    group_names: dict[int, Counter[str]] = defaultdict(Counter)
    for rec_id, theme_id, name in label_rows:
        group = groups[theme_id]
        group_names[group][name] += 1
        if (group, rec_id) in counted:  # two themes of one group on one recommendation
            continue
        counted.add((group, rec_id))
        cells = table.setdefault(group, [TimelineCell() for _ in cycles])
        cell = cells[index[cycle_of[rec_id]]]
        cell.recommendations += 1
        link_kind = best_kind.get(rec_id)
        if link_kind == LinkKind.REPEATED:
            cell.repeated += 1
        elif link_kind == LinkKind.STRENGTHENED:
            cell.strengthened += 1
        elif cycle_of[rec_id] != cycles[0]:
            cell.new += 1
        if rec_id in bucket_of:
            cell.buckets[bucket_of[rec_id]] += 1
    rows = [
        TimelineRow(theme=group_names[group].most_common(1)[0][0], cells=cells)
        for group, cells in table.items()
    ]
    rows.sort(key=lambda row: (-row.total, row.theme))
    return {
        "state": state,
        "cycles": cycles,
        "latest_cycle": latest,
        "latest_count": len(latest_ids),
        "repeating": len(repeating),
        "still_not_implemented": len(still_not),
        "assessed": sum(1 for pk in repeating if any(e in bucket_of for e in earlier_of[pk])),
        "rows": rows[:TIMELINE_THEMES],
        "more_themes": max(0, len(rows) - TIMELINE_THEMES),
        "has_grades": bool(bucket_of),
    }


def state_panel(state: State) -> tuple[str, dict[str, Any]] | None:
    summary = state_summary(state)
    if summary is None:
        return None
    return STATE_TEMPLATE, summary
