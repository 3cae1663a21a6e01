"""The public scorecard of one State and cycle: what the coalition published, counted.

Only PUBLISHED positions are read (`Position.objects.published()`): a draft or a position in
review never reaches a figure, a row, a download or the API. Who drafted or published a
position is never read either.

A scorecard is one round of one review (State + cycle). A review may have several rounds
("Mid-term 2022", "Before the 4th review 2025"): the latest with anything published is the
default, another is chosen by its slug. Figures are counted on the round's scale (grades) and
by bucket (what a grade means whatever the scale), by theme (the vocabulary most used in that
review), by recommending State and its regional group, and by the State's response. The
headline is "supported but not implemented": recommendations the State supported (or
supported in part) whose published grade falls in `NOT_IMPLEMENTED_BUCKETS`, out of all it
supported. Recommendations with no published position are counted as "not yet assessed",
never dropped.

Speed: a scorecard is built from a fixed number of queries (about ten, whatever the number
of recommendations), each returning plain values, then counted in Python; nothing is asked
per recommendation. Pages keep built scorecards (`scorecard_cache.scorecard_for`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from uprhub.recommendations.models import Label, Recommendation, RecommendingState
from uprhub.recommendations.models import Position as Response
from uprhub.recommendations.theme_names import theme_name, vocabulary_name
from uprhub.reviews.countries import state_name
from uprhub.reviews.models import Document, DocumentKind, RegionalGroup, Review

from .models import (
    NOT_IMPLEMENTED_BUCKETS,
    Assessment,
    AssessmentRound,
    Bucket,
    ClaimKind,
    EvidenceItem,
    Grade,
    Position,
    PositionStatus,
    StateClaim,
)
from .selectors import review_of_cycle

#: The pseudo-bucket of recommendations with no published position in the round.
NOT_ASSESSED = "not_assessed"
BUCKETS: tuple[str, ...] = (*(b.value for b in Bucket), NOT_ASSESSED)
#: Responses counted as "supported" in the headline.
SUPPORTED = (Response.SUPPORTED, Response.SUPPORTED_IN_PART)
RESPONSES: tuple[str, ...] = tuple(r.value for r in Response)
#: Responses that always have a line in "by response", even with no recommendation.
SHOWN = (Response.SUPPORTED, Response.SUPPORTED_IN_PART, Response.NOTED)
SORTS = ("paragraph", "grade", "response")
_NOT_ASSESSED_LABEL = gettext_lazy("Not yet assessed")


def bucket_label(key: str) -> str:
    return str(_NOT_ASSESSED_LABEL) if key == NOT_ASSESSED else str(Bucket(key).label)


def response_label(key: str) -> str:
    try:
        return str(Response(key).label)
    except ValueError:
        return key


def percent(part: int, whole: int) -> int:
    """A whole percentage (rounded half up), 0 of nothing."""
    return (part * 100 + whole // 2) // whole if whole else 0


# --- what a page asks first: which State, cycle and round ------------------------------------


@dataclass(frozen=True)
class ReviewWithScores:
    """A State's cycle with published positions (a line of the index)."""

    iso3: str
    state: str
    cycle: int
    published: int
    rounds: int
    latest: date


def reviews_with_published() -> list[ReviewWithScores]:
    """States and cycles with anything published, by State name then cycle (one query)."""
    rows = (
        Position.objects.published()
        .values(
            "round__review__state__iso3",
            "round__review__state__short_name",
            "round__review__session__cycle_id",
        )
        .annotate(
            published=Count("id"), rounds=Count("round", distinct=True), latest=Max("round__as_of")
        )
        .order_by()
    )
    found = [
        ReviewWithScores(
            iso3=row["round__review__state__iso3"],
            state=state_name(
                row["round__review__state__iso3"], row["round__review__state__short_name"]
            ),
            cycle=row["round__review__session__cycle_id"],
            published=row["published"],
            rounds=row["rounds"],
            latest=row["latest"],
        )
        for row in rows
    ]
    return sorted(found, key=lambda r: (r.state.casefold(), r.cycle))


def review_or_404(iso3: str, cycle: int) -> Review:
    review = review_of_cycle(iso3, cycle)
    if review is None:
        raise Http404(_("No review of that State in that cycle."))
    return review


def published_rounds(review: Review) -> list[AssessmentRound]:
    """The review's rounds with at least one published position, latest first."""
    ids = Position.objects.published().filter(round__review=review).values("round_id")
    return list(
        AssessmentRound.objects.filter(pk__in=ids).select_related("scale").order_by("-as_of", "-pk")
    )


def published_rounds_of_state(iso3: str) -> list[dict[str, Any]]:
    """Every round of the State's reviews with published positions, latest first (the API)."""
    rows = (
        Position.objects.published()
        .filter(round__review__state__iso3=iso3.upper())
        .values(
            "round__slug",
            "round__name",
            "round__as_of",
            "round__scale__slug",
            "round__review__session__cycle_id",
        )
        .annotate(published=Count("id"))
        .order_by("-round__as_of", "-round_id")
    )
    return [
        {
            "slug": row["round__slug"],
            "name": row["round__name"],
            "as_of": row["round__as_of"],
            "scale": row["round__scale__slug"],
            "cycle": row["round__review__session__cycle_id"],
            "published": row["published"],
        }
        for row in rows
    ]


def choose_round(rounds: Sequence[AssessmentRound], slug: str | None) -> AssessmentRound:
    """The round named by ``slug``, or the latest; 404 when there is none to show."""
    if not rounds:
        raise Http404(_("Nothing is published for this review yet."))
    if not slug:
        return rounds[0]
    for round_ in rounds:
        if round_.slug == slug:
            return round_
    raise Http404(_("No published round by that name for this review."))


# --- what a scorecard holds --------------------------------------------------------------------


@dataclass
class GradeCount:
    code: str
    label: str
    bucket: str
    colour: str
    count: int


@dataclass
class Breakdown:
    """One line of a table or stacked bar: recommendations per bucket."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def not_implemented(self) -> int:
        return sum(self.counts[b] for b in NOT_IMPLEMENTED_BUCKETS)

    def cells(self) -> list[tuple[str, int]]:
        return [(b, self.counts[b]) for b in BUCKETS]


@dataclass
class Headline:
    """Supported (or in part) but not implemented: N of M."""

    not_implemented: int
    supported: int
    not_assessed: int

    @property
    def percent(self) -> int:
        return percent(self.not_implemented, self.supported)


@dataclass
class Row:
    """One recommendation as the scorecard shows it."""

    id: int
    paragraph: str
    paragraph_sort: int
    text: str
    response: str
    recommending: list[str]
    themes: list[str]
    bucket: str = NOT_ASSESSED
    grade_code: str = ""
    grade_label: str = ""
    grade_order: int = 10_000
    rationale: str = ""
    as_of: date | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    #: Organisations' own assessments, shown only when they disagree (with each other or the
    #: coalition's grade): disagreement is shown, never averaged.
    assessments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def response_label(self) -> str:
        return response_label(self.response)

    @property
    def bucket_label(self) -> str:
        return bucket_label(self.bucket)

    @property
    def assessed(self) -> bool:
        return self.bucket != NOT_ASSESSED


@dataclass
class Change:
    paragraph: str
    text: str
    before: str
    before_bucket: str
    after: str
    after_bucket: str


@dataclass
class Comparison:
    """This round against another of the same review."""

    earlier: AssessmentRound
    later: AssessmentRound
    #: (bucket, label, earlier count, later count)
    buckets: list[tuple[str, str, int, int]]
    changed: list[Change]


@dataclass
class Scorecard:
    review: Review
    round: AssessmentRound
    rounds: list[AssessmentRound]
    rows: list[Row]
    grades: list[GradeCount]
    by_bucket: Breakdown
    by_theme: list[Breakdown]
    vocabulary: str
    by_state: list[Breakdown]
    by_group: list[Breakdown]
    by_response: list[Breakdown]
    headline: Headline
    comparison: Comparison | None
    has_claims: bool
    national_report: str  # its symbol, "" when the State's national report is not imported
    #: What pages made from it once (charts, tables), kept with it: the same for every
    #: request of this language and data version (see `scorecard_cache`).
    made: dict[str, Any] = field(default_factory=dict)

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        """``make()``, the first time it is asked for ``name``."""
        if name not in self.made:
            self.made[name] = make()
        return self.made[name]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def assessed(self) -> int:
        return self.total - self.by_bucket.counts[NOT_ASSESSED]

    @property
    def not_assessed(self) -> int:
        return self.by_bucket.counts[NOT_ASSESSED]

    @property
    def state_name(self) -> str:
        return self.review.state.display_name

    @property
    def cycle(self) -> int:
        return self.review.session.cycle_id

    def filename(self, extension: str) -> str:
        """``USA-cycle3-midterm-2022-scorecard.csv``"""
        return f"{self.review.state.iso3}-cycle{self.cycle}-{self.round.slug}-scorecard.{extension}"


# --- building it ---------------------------------------------------------------------------------


def _grades_by_id() -> dict[int, Grade]:
    """Every grade (a handful of scales of a few grades): a position whose grade is not on its
    round's scale, which services should refuse, still shows rather than breaking the page."""
    return {g.pk: g for g in Grade.objects.all()}


def _published_grades(round_: AssessmentRound) -> dict[int, int]:
    """recommendation id → grade id of the round's published positions."""
    return dict(
        Position.objects.published()
        .filter(round=round_)
        .values_list("recommendation_id", "grade_id")
    )


def _themes(review: Review) -> tuple[str, dict[int, list[str]]]:
    """The review's most used vocabulary (its display name) and each recommendation's themes
    in it (translated names)."""
    labels = list(
        Label.objects.filter(recommendation__review=review).values_list(
            "recommendation_id", "theme__name", "theme__vocabulary__slug", "theme__vocabulary__name"
        )
    )
    if not labels:
        return "", {}
    used = Counter(slug for _id, _name, slug, _vname in labels)
    slug = max(used, key=lambda s: (used[s], s))
    vocabulary = next(vname for _id, _name, s, vname in labels if s == slug)
    themes: dict[int, set[str]] = defaultdict(set)
    translated: dict[str, str] = {}
    for recommendation_id, name, s, _vname in labels:
        if s == slug:
            if name not in translated:
                translated[name] = theme_name(name, slug)
            themes[recommendation_id].add(translated[name])
    return vocabulary_name(slug, vocabulary), {k: sorted(v) for k, v in themes.items()}


def _lines(counts: Counter[tuple[str, str]], labels: dict[str, str]) -> list[Breakdown]:
    """A line per key of ``labels`` with its counts by bucket."""
    lines = {key: Breakdown(key=key, label=label) for key, label in labels.items()}
    for (key, bucket), n in counts.items():
        lines[key].counts[bucket] += n
    return list(lines.values())


def _ranked(lines: list[Breakdown]) -> list[Breakdown]:
    """Most recommendations first, then by name."""
    return sorted(lines, key=lambda b: (-b.total, b.label.casefold()))


def build_scorecard(
    review: Review, round_: AssessmentRound, rounds: Sequence[AssessmentRound], *, compare: str = ""
) -> Scorecard:
    """The scorecard of ``round_`` (one of ``rounds``, the review's published ones)."""
    recommendations = list(
        Recommendation.objects.filter(review=review)
        .order_by("paragraph_sort", "id")
        .values_list("id", "paragraph", "paragraph_sort", "text", "position")
    )
    # Names looked up once per State, not once per recommendation (CLDR and gettext cost).
    names: dict[str, str] = {}
    recommenders: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for recommendation_id, iso3, code, short, group in RecommendingState.objects.filter(
        recommendation__review=review
    ).values_list(
        "recommendation_id",
        "state__iso3",
        "state__code",
        "state__short_name",
        "state__regional_group",
    ):
        key = iso3 or code
        if key not in names:
            names[key] = state_name(iso3, short)
        recommenders[recommendation_id].append((key, names[key], group))
    vocabulary, themes = _themes(review)

    positions: dict[int, dict[str, Any]] = {
        p["recommendation_id"]: dict(p)
        for p in Position.objects.published()
        .filter(round=round_)
        .values("id", "recommendation_id", "grade_id", "rationale", "as_of")
    }
    other = _other_round(round_, rounds, compare)
    other_grades = _published_grades(other) if other else {}
    grades = _grades_by_id()
    evidence = _evidence(round_)
    claims = _claims(review)
    assessments = _assessments(round_, positions, grades)

    # Counted as (key, bucket) pairs; the lines are made once at the end.
    rows: list[Row] = []
    by_grade: Counter[int] = Counter()
    by_theme: Counter[tuple[str, str]] = Counter()
    by_state: Counter[tuple[str, str]] = Counter()
    by_group: Counter[tuple[str, str]] = Counter()
    by_response: Counter[tuple[str, str]] = Counter()
    no_theme = [_("No theme")]
    headline = Headline(0, 0, 0)
    for recommendation_id, paragraph, paragraph_sort, text, response in recommendations:
        who = recommenders.get(recommendation_id, [])
        row = Row(
            id=recommendation_id,
            paragraph=paragraph,
            paragraph_sort=paragraph_sort or 0,
            text=text,
            response=response,
            recommending=[name for _code, name, _group in who],
            themes=themes.get(recommendation_id, []),
            claims=claims.get(recommendation_id, []),
        )
        position = positions.get(recommendation_id)
        if position is not None:
            grade = grades[position["grade_id"]]
            row.bucket = grade.bucket
            row.grade_code, row.grade_label, row.grade_order = (
                grade.code,
                grade.display_label,
                grade.order,
            )
            row.rationale, row.as_of = position["rationale"], position["as_of"]
            row.evidence = evidence.get(position["id"], [])
            row.assessments = assessments.get(recommendation_id, [])
            by_grade[grade.pk] += 1
        rows.append(row)
        bucket = row.bucket
        for theme in row.themes or no_theme:
            by_theme[theme, bucket] += 1
        for code, _name, _group in who:
            by_state[code, bucket] += 1
        for group in {group for _c, _n, group in who if group}:
            by_group[group, bucket] += 1
        by_response[response, bucket] += 1
        if response in SUPPORTED:
            headline.supported += 1
            if bucket in NOT_IMPLEMENTED_BUCKETS:
                headline.not_implemented += 1
            elif bucket == NOT_ASSESSED:
                headline.not_assessed += 1

    groups = dict(RegionalGroup.choices)
    responses = {key: response_label(key) for key in {key for key, _b in by_response}}
    total = Breakdown(key="all", label=_("All recommendations"))
    for (_key, bucket), n in by_response.items():
        total.counts[bucket] += n
    scale_grades = sorted(
        (g for g in grades.values() if g.scale_id == round_.scale_id), key=lambda g: (g.order, g.pk)
    )
    # The three usual responses always have a line (even empty), others when they occur.
    response_lines = _lines(by_response, {**{r: response_label(r) for r in SHOWN}, **responses})
    order = {key: n for n, key in enumerate(RESPONSES)}
    response_lines.sort(key=lambda line: order.get(line.key, 99))
    return Scorecard(
        review=review,
        round=round_,
        rounds=list(rounds),
        rows=rows,
        grades=[
            GradeCount(g.code, g.display_label, g.bucket, g.colour, by_grade[g.pk])
            for g in scale_grades
        ],
        by_bucket=total,
        by_theme=_ranked(_lines(by_theme, {key: key for key, _b in by_theme})),
        vocabulary=vocabulary,
        by_state=_ranked(_lines(by_state, names)),
        by_group=_ranked(_lines(by_group, {k: str(groups.get(k, k)) for k, _b in by_group})),
        by_response=response_lines,
        headline=headline,
        comparison=_compare(round_, other, rows, positions, other_grades, grades)
        if other
        else None,
        has_claims=bool(claims),
        national_report=national_report_symbol(review),
    )


def _other_round(
    round_: AssessmentRound, rounds: Sequence[AssessmentRound], compare: str
) -> AssessmentRound | None:
    """The round to compare with: the one named, else the one published just before."""
    others = [r for r in rounds if r.pk != round_.pk]
    if compare:
        return next((r for r in others if r.slug == compare), None)
    earlier = [r for r in others if (r.as_of, r.pk) < (round_.as_of, round_.pk)]
    return earlier[0] if earlier else None


def _compare(
    round_: AssessmentRound,
    other: AssessmentRound,
    rows: Sequence[Row],
    positions: dict[int, dict[str, Any]],
    other_grades: dict[int, int],
    grades: dict[int, Grade],
) -> Comparison:
    earlier, later = sorted((other, round_), key=lambda r: (r.as_of, r.pk))
    this = {rid: grades[p["grade_id"]] for rid, p in positions.items()}
    that = {rid: grades[gid] for rid, gid in other_grades.items()}
    before, after = (that, this) if earlier is other else (this, that)
    count_before = Counter(g.bucket for g in before.values())
    count_after = Counter(g.bucket for g in after.values())
    total = len(rows)
    count_before[NOT_ASSESSED] = total - len(before)
    count_after[NOT_ASSESSED] = total - len(after)
    changed = []
    for row in rows:
        old, new = before.get(row.id), after.get(row.id)
        if old is None or new is None:
            continue
        # Rounds may use different scales: a change is a change of meaning (bucket) or,
        # on one scale, of grade.
        if old.bucket != new.bucket or (old.scale_id == new.scale_id and old.pk != new.pk):
            changed.append(
                Change(
                    row.paragraph,
                    row.text,
                    f"{old.code} – {old.display_label}",
                    old.bucket,
                    f"{new.code} – {new.display_label}",
                    new.bucket,
                )
            )
    return Comparison(
        earlier=earlier,
        later=later,
        buckets=[(b, bucket_label(b), count_before[b], count_after[b]) for b in BUCKETS],
        changed=changed,
    )


def _evidence(round_: AssessmentRound) -> dict[int, list[dict[str, Any]]]:
    """The evidence of the round's published positions, by position id."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        EvidenceItem.objects.filter(
            position__round=round_, position__status=PositionStatus.PUBLISHED
        )
        .order_by("order", "pk")
        .values(
            "position_id", "kind", "document_symbol", "paragraph", "url", "title", "quote", "date"
        )
    )
    for row in rows:
        item: dict[str, Any] = dict(row)
        found[item.pop("position_id")].append(item)
    return found


def _claims(review: Review) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        StateClaim.objects.filter(recommendation__review=review)
        .order_by("document_symbol", "pk")
        .values("recommendation_id", "document_symbol", "paragraph", "claim", "quote", "date")
    )
    labels = dict(ClaimKind.choices)
    for row in rows:
        claim: dict[str, Any] = dict(row)
        claim["label"] = str(labels.get(claim["claim"], claim["claim"]))
        found[claim.pop("recommendation_id")].append(claim)
    return found


def _assessments(
    round_: AssessmentRound, positions: dict[int, dict[str, Any]], grades: dict[int, Grade]
) -> dict[int, list[dict[str, Any]]]:
    """Organisations' assessments of published recommendations where they disagree.

    Only of recommendations whose coalition position is published (nothing of a draft shows),
    and only the organisation, grade, rationale and date: never the person who assessed.
    """
    by_recommendation: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Assessment.objects.filter(round=round_)
        .order_by("organisation__name", "pk")
        .values("recommendation_id", "organisation__name", "grade_id", "rationale", "as_of")
    )
    for row in rows:
        if row["recommendation_id"] in positions:  # of a published position only
            by_recommendation[row["recommendation_id"]].append(dict(row))
    found: dict[int, list[dict[str, Any]]] = {}
    for recommendation_id, items in by_recommendation.items():
        coalition = positions[recommendation_id]["grade_id"]
        if all(item["grade_id"] == coalition for item in items):
            continue  # everyone agrees: the coalition's grade says it all
        found[recommendation_id] = [
            {
                "organisation": item["organisation__name"],
                "grade_code": grades[item["grade_id"]].code,
                "grade_label": grades[item["grade_id"]].display_label,
                "bucket": grades[item["grade_id"]].bucket,
                "rationale": item["rationale"],
                "as_of": item["as_of"],
            }
            for item in items
        ]
    return found


def national_report_symbol(review: Review) -> str:
    """The State's own report on implementation: the next cycle's national report (/1)."""
    symbol = (
        Document.objects.filter(
            review__state_id=review.state_id,
            review__session__cycle_id=review.session.cycle_id + 1,
            kind=DocumentKind.NATIONAL_REPORT,
        )
        .values_list("symbol", flat=True)
        .first()
    )
    return symbol or ""


# --- choosing rows -------------------------------------------------------------------------------


def filter_rows(
    rows: Sequence[Row], *, bucket: str = "", theme: str = "", response: str = "", sort: str = ""
) -> list[Row]:
    """The rows a visitor asked for (unknown values filter nothing out, they match nothing)."""
    found = [
        r
        for r in rows
        if (not bucket or r.bucket == bucket)
        and (not theme or theme in r.themes)
        and (not response or r.response == response)
    ]
    if sort == "grade":
        order = {b: n for n, b in enumerate(BUCKETS)}
        found.sort(key=lambda r: (order[r.bucket], r.grade_order, r.paragraph_sort, r.id))
    elif sort == "response":
        order = {k: n for n, k in enumerate(RESPONSES)}
        found.sort(key=lambda r: (order.get(r.response, 99), r.paragraph_sort, r.id))
    return found


def scales() -> list[Any]:
    """The scales with their grades, for the page explaining them."""
    from .models import Scale

    return list(Scale.objects.prefetch_related("grades").order_by("name"))
