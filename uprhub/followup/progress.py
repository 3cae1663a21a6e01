"""Reads for assessing and reviewing: a round's progress (per theme, per assessor) and its work
list, each in a fixed number of queries whatever the number of recommendations (a State may
have 347).

A recommendation counts as *assessed* once an organisation assessed it or the coalition has a
position on it (of any status: a published one was assessed too); *in review* and
*published* are the coalition position's status.

Themes come from the recommendations' labels. A review is often labelled in several
vocabularies (UPR Info's issues, the SDGs…); counting every theme of all of them would count a
recommendation many times over, so the vocabulary with the most labels in that review is used.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from uprhub.recommendations.models import Label, Recommendation, Vocabulary
from uprhub.recommendations.models import Position as Response

from .models import (
    Assessment,
    AssessmentRound,
    Cluster,
    EvidenceItem,
    Grade,
    Position,
    PositionStatus,
    RoundRole,
    RoundRoleKind,
)

SUPPORTED = (Response.SUPPORTED, Response.SUPPORTED_IN_PART)
STATUS_FILTERS = ("unassessed", "assessed", "draft", "in_review", "published")
NO_THEME = 0  # the "No theme" group's key (no theme has id 0)


@dataclass
class Counts:
    total: int = 0
    assessed: int = 0
    in_review: int = 0
    published: int = 0

    def percent(self, part: int) -> int:
        return round(100 * part / self.total) if self.total else 0

    @property
    def assessed_percent(self) -> int:
        return self.percent(self.assessed)

    @property
    def in_review_percent(self) -> int:
        return self.percent(self.in_review)

    @property
    def published_percent(self) -> int:
        return self.percent(self.published)

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "assessed": self.assessed,
            "in_review": self.in_review,
            "published": self.published,
        }


@dataclass
class Group:
    key: Any
    label: str
    counts: Counts = field(default_factory=Counts)


def preferred_vocabulary(review_id: int) -> Vocabulary | None:
    """The vocabulary with the most labels on this review's recommendations."""
    found = (
        Vocabulary.objects.filter(themes__labels__recommendation__review_id=review_id)
        .annotate(n=Count("themes__labels"))
        .order_by("-n", "pk")
        .first()
    )
    return found


def themes_of(review_id: int, vocabulary: Vocabulary | None) -> dict[int, list[tuple[int, str]]]:
    """{recommendation id: [(theme id, name), …]} in that vocabulary, names sorted."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if vocabulary is None:
        return found
    rows = Label.objects.filter(
        recommendation__review_id=review_id, theme__vocabulary=vocabulary
    ).values_list("recommendation_id", "theme_id", "theme__name")
    for rec_id, theme_id, name in rows:
        if (theme_id, name) not in found[rec_id]:
            found[rec_id].append((theme_id, name))
    for value in found.values():
        value.sort(key=lambda pair: pair[1].casefold())
    return found


def _states(round_: AssessmentRound) -> tuple[set[int], dict[int, str], list[tuple[int, int, Any]]]:
    """(recommendations with an assessment, {recommendation: position status}, assessments as
    (recommendation, organisation, assessed_by))."""
    assessments = list(
        Assessment.objects.filter(round=round_).values_list(
            "recommendation_id", "organisation_id", "assessed_by_id"
        )
    )
    statuses = dict(
        Position.objects.filter(round=round_).values_list("recommendation_id", "status")
    )
    return {row[0] for row in assessments}, statuses, assessments


def _count(counts: Counts, rec_id: int, assessed: set[int], statuses: dict[int, str]) -> None:
    counts.total += 1
    if rec_id in assessed or rec_id in statuses:
        counts.assessed += 1
    if statuses.get(rec_id) == PositionStatus.IN_REVIEW:
        counts.in_review += 1
    elif statuses.get(rec_id) == PositionStatus.PUBLISHED:
        counts.published += 1


@dataclass
class Progress:
    overall: Counts
    themes: list[Group]
    organisations: list[Group]
    people: list[Group]


def round_progress(round_: AssessmentRound) -> Progress:
    """Progress of the round overall, per theme and per assessor (organisation and person)."""
    from django.contrib.auth import get_user_model

    from uprhub.accounts.models import Organisation

    rec_ids = list(
        Recommendation.objects.filter(review_id=round_.review_id).values_list("id", flat=True)
    )
    themes = themes_of(round_.review_id, preferred_vocabulary(round_.review_id))
    assessed, statuses, assessments = _states(round_)

    overall = Counts()
    by_theme: dict[int, Group] = {}
    for rec_id in rec_ids:
        _count(overall, rec_id, assessed, statuses)
        for theme_id, name in themes.get(rec_id) or [(NO_THEME, _("No theme"))]:
            group = by_theme.setdefault(theme_id, Group(theme_id, name))
            _count(group.counts, rec_id, assessed, statuses)
    theme_groups = sorted(by_theme.values(), key=lambda g: (g.key == NO_THEME, g.label.casefold()))

    # Per assessor: of all the recommendations, how many they assessed, and how far the
    # coalition got with those.
    per_org: dict[int, set[int]] = defaultdict(set)
    per_person: dict[int, set[int]] = defaultdict(set)
    for rec_id, org_id, person_id in assessments:
        per_org[org_id].add(rec_id)
        if person_id:
            per_person[person_id].add(rec_id)
    org_names = dict(Organisation.objects.filter(pk__in=per_org).values_list("pk", "name"))
    people = {
        user.pk: (getattr(getattr(user, "profile", None), "full_name", "") or user.get_username())
        for user in get_user_model().objects.filter(pk__in=per_person).select_related("profile")
    }

    def groups(source: dict[int, set[int]], names: dict[int, str]) -> list[Group]:
        found = []
        for key, done in source.items():
            group = Group(key, names.get(key, "?"))
            group.counts.total = len(rec_ids)
            group.counts.assessed = len(done)
            group.counts.in_review = sum(
                1 for r in done if statuses.get(r) == PositionStatus.IN_REVIEW
            )
            group.counts.published = sum(
                1 for r in done if statuses.get(r) == PositionStatus.PUBLISHED
            )
            found.append(group)
        return sorted(found, key=lambda g: g.label.casefold())

    return Progress(overall, theme_groups, groups(per_org, org_names), groups(per_person, people))


# --- the work list -------------------------------------------------------------------------------


@dataclass
class Row:
    recommendation: Recommendation
    position: Position | None
    assessments: list[Assessment]
    clusters: list[Cluster]
    themes: list[tuple[int, str]]

    @property
    def disagreement(self) -> bool:
        """Organisations gave different grades (shown, never averaged)."""
        return len({a.grade_id for a in self.assessments}) > 1

    @property
    def supported(self) -> bool:
        return self.recommendation.position in SUPPORTED


@dataclass
class WorkList:
    page: Page[Any]
    rows: list[Row]
    groups: list[tuple[str, list[Row]]]
    themes: list[tuple[int, str]]
    clusters: list[Cluster]


def _matches_status(rec_id: int, status: str, assessed: set[int], statuses: dict[int, str]) -> bool:
    if status == "unassessed":
        return rec_id not in assessed and rec_id not in statuses
    if status == "assessed":
        return rec_id in assessed or rec_id in statuses
    return statuses.get(rec_id) == status


def work_list(
    round_: AssessmentRound,
    *,
    group: str = "theme",
    status: str = "",
    theme: int | None = None,
    response: str = "",
    descending: bool = False,
    page: int | str = 1,
    per_page: int = 50,
) -> WorkList:
    """The round's recommendations filtered, sorted by paragraph (within each theme or cluster
    when grouped), one page of them with their position, assessments, clusters and themes."""
    recs = Recommendation.objects.filter(review_id=round_.review_id)
    if response == "supported":
        recs = recs.filter(position__in=SUPPORTED)
    elif response == "noted":
        recs = recs.filter(position=Response.NOTED)
    keys = list(recs.values_list("id", "paragraph_sort", "paragraph"))
    themes = themes_of(round_.review_id, preferred_vocabulary(round_.review_id))
    clusters = list(
        Cluster.objects.filter(review_id=round_.review_id).prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.only("id"))
        )
    )
    cluster_of: dict[int, list[Cluster]] = defaultdict(list)
    for cluster in clusters:
        for rec in cluster.recommendations.all():
            cluster_of[rec.pk].append(cluster)
    if status in STATUS_FILTERS:
        assessed, statuses, _rows = _states(round_)
        keys = [k for k in keys if _matches_status(k[0], status, assessed, statuses)]
    if theme is not None:
        if theme == NO_THEME:
            keys = [k for k in keys if not themes.get(k[0])]
        else:
            keys = [k for k in keys if any(t == theme for t, _n in themes.get(k[0], []))]

    def group_label(rec_id: int) -> str:
        if group == "cluster":
            found = cluster_of.get(rec_id)
            return found[0].label if found else ""
        found_themes = themes.get(rec_id)
        return found_themes[0][1] if found_themes else ""

    def para_key(k: tuple[int, int | None, str]) -> tuple[int, str]:
        return (k[1] if k[1] is not None else 0, k[2])

    keys.sort(key=para_key, reverse=descending)
    # Grouped: the groups by name (the ungrouped last), paragraphs in order inside each.
    keys.sort(key=lambda k: (group_label(k[0]) == "", group_label(k[0]).casefold()))
    paginator = Paginator(keys, per_page)
    current = paginator.get_page(page)
    page_ids = [k[0] for k in current.object_list]
    loaded = {
        rec.pk: rec
        for rec in Recommendation.objects.filter(pk__in=page_ids).prefetch_related(
            "recommending_states",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(round=round_)
                .select_related("organisation", "grade")
                .order_by("organisation__name"),
                to_attr="round_assessments",
            ),
            Prefetch(
                "followup_positions",
                queryset=Position.objects.filter(round=round_).select_related("grade"),
                to_attr="round_positions",
            ),
        )
    }
    rows = [
        Row(
            recommendation=loaded[rec_id],
            position=next(iter(getattr(loaded[rec_id], "round_positions", [])), None),
            assessments=list(getattr(loaded[rec_id], "round_assessments", [])),
            clusters=cluster_of.get(rec_id, []),
            themes=themes.get(rec_id, []),
        )
        for rec_id in page_ids
    ]
    grouped: list[tuple[str, list[Row]]] = []
    for row in rows:
        label = group_label(row.recommendation.pk) or (
            _("Not in a cluster") if group == "cluster" else _("No theme")
        )
        if grouped and grouped[-1][0] == label:
            grouped[-1][1].append(row)
        else:
            grouped.append((label, [row]))
    all_themes = sorted(
        {pair for pairs in themes.values() for pair in pairs}, key=lambda p: p[1].casefold()
    )
    return WorkList(current, rows, grouped, all_themes, clusters)


def grade_spread(assessments: Iterable[Assessment]) -> Counter[str]:
    """How many organisations gave each grade (for showing a disagreement)."""
    return Counter(a.grade.code for a in assessments)


# --- reads of the work pages (views and the API read through these) -----------------------------


def round_by_slug(slug: str) -> AssessmentRound | None:
    return AssessmentRound.objects.select_related("review", "scale").filter(slug=slug).first()


def organisations_assessed_by(user: Any, round_: AssessmentRound) -> list[Any]:
    """The organisations this person assesses for in the round, by name."""
    from uprhub.accounts.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return []
    ids = RoundRole.objects.filter(
        round=round_, user=user, role=RoundRoleKind.ASSESSOR
    ).values_list("organisation_id", flat=True)
    return list(Organisation.objects.filter(pk__in=list(ids)).order_by("name"))


def recommendation_in_round(round_: AssessmentRound, pk: int) -> Recommendation | None:
    """One of the round's recommendations (its review's), with its recommending States."""
    return (
        Recommendation.objects.filter(pk=pk, review_id=round_.review_id)
        .prefetch_related("recommending_states")
        .first()
    )


def position_of(round_: AssessmentRound, rec: Recommendation) -> Position | None:
    """The coalition's position with its evidence and history (newest first)."""
    return (
        Position.objects.select_related("grade", "round", "recommendation", "published_by")
        .prefetch_related("evidence", "revisions__grade")
        .filter(round=round_, recommendation=rec)
        .first()
    )


def assessments_of(round_: AssessmentRound, rec: Recommendation) -> list[Assessment]:
    """Every organisation's assessment of the recommendation, with evidence, by organisation."""
    return list(
        Assessment.objects.filter(round=round_, recommendation=rec)
        .select_related("organisation", "grade", "assessed_by__profile", "round")
        .prefetch_related("evidence")
        .order_by("organisation__name")
    )


def clusters_of(round_: AssessmentRound, rec: Recommendation) -> list[Cluster]:
    return list(rec.clusters.filter(review_id=round_.review_id))


def evidence_owner_in(
    round_: AssessmentRound, rec: Recommendation, key: str
) -> Assessment | Position | None:
    """The assessment or position named "assessment-<id>" / "position-<id>", if it is of this
    recommendation in this round."""
    kind, _sep, number = key.partition("-")
    if not number.isdigit():
        return None
    if kind == "assessment":
        return (
            Assessment.objects.select_related("round", "organisation", "recommendation")
            .filter(pk=int(number), round=round_, recommendation=rec)
            .first()
        )
    if kind == "position":
        return (
            Position.objects.select_related("round", "recommendation")
            .filter(pk=int(number), round=round_, recommendation=rec)
            .first()
        )
    return None


def evidence_item_in(round_: AssessmentRound, rec: Recommendation, pk: int) -> EvidenceItem | None:
    """An evidence item of an assessment or the position of this recommendation in this round."""
    return (
        EvidenceItem.objects.filter(pk=pk)
        .filter(
            Q(assessment__round=round_, assessment__recommendation=rec)
            | Q(position__round=round_, position__recommendation=rec)
        )
        .first()
    )


def assessment_in(round_: AssessmentRound, rec: Recommendation, pk: int) -> Assessment | None:
    return (
        Assessment.objects.select_related("organisation", "grade")
        .filter(pk=pk, round=round_, recommendation=rec)
        .first()
    )


def cluster_in(round_: AssessmentRound, pk: int) -> Cluster | None:
    return Cluster.objects.filter(pk=pk, review_id=round_.review_id).first()


def cluster_recommendations(cluster: Cluster) -> list[Recommendation]:
    return list(cluster.recommendations.order_by("paragraph_sort", "id"))


def cluster_seen(
    round_: AssessmentRound, recs: list[Recommendation], targets: Iterable[str]
) -> dict[str, dict[str, int]]:
    """{target: {recommendation id: version}} for each target ("position",
    "organisation-<id>"), what a cluster's page starts from."""
    ids = [r.pk for r in recs]
    seen: dict[str, dict[str, int]] = {key: {} for key in targets}
    if "position" in seen:
        for rec_id, version in Position.objects.filter(
            round=round_, recommendation_id__in=ids
        ).values_list("recommendation_id", "version"):
            seen["position"][str(rec_id)] = version
    org_ids = [int(key.partition("-")[2]) for key in seen if key.startswith("organisation-")]
    for rec_id, org_id, version in Assessment.objects.filter(
        round=round_, recommendation_id__in=ids, organisation_id__in=org_ids
    ).values_list("recommendation_id", "organisation_id", "version"):
        seen[f"organisation-{org_id}"][str(rec_id)] = version
    return seen


def cluster_current(round_: AssessmentRound, recs: list[Recommendation]) -> dict[int, Any]:
    """What each recommendation has now: the coalition's position and organisations' grades."""
    ids = [r.pk for r in recs]
    found: dict[int, Any] = {r.pk: {"position": None, "assessments": []} for r in recs}
    for position in Position.objects.filter(round=round_, recommendation_id__in=ids).select_related(
        "grade"
    ):
        found[position.recommendation_id]["position"] = position
    for assessment in (
        Assessment.objects.filter(round=round_, recommendation_id__in=ids)
        .select_related("grade", "organisation")
        .order_by("organisation__name")
    ):
        found[assessment.recommendation_id]["assessments"].append(assessment)
    return found


def review_queue(round_: AssessmentRound) -> QuerySet[Position]:
    """Positions in review by paragraph, each recommendation with the organisations'
    assessments (``recommendation.round_assessments``)."""
    return (
        Position.objects.filter(round=round_, status=PositionStatus.IN_REVIEW)
        .select_related("grade", "recommendation")
        .prefetch_related(
            Prefetch(
                "recommendation__assessments",
                queryset=Assessment.objects.filter(round=round_)
                .select_related("organisation", "grade")
                .order_by("organisation__name"),
                to_attr="round_assessments",
            )
        )
        .order_by("recommendation__paragraph_sort", "pk")
    )


def grade_by_code(round_: AssessmentRound, code: str) -> Grade | None:
    return Grade.objects.filter(scale_id=round_.scale_id, code=code).first()


def organisation_by_pk(pk: int) -> Any:
    from uprhub.accounts.models import Organisation

    return Organisation.objects.filter(pk=pk).first()
