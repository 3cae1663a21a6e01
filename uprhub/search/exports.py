"""CSV and XLSX exports of any result set of the explorer.

Both formats read the matching ids from the search layer (``iter_ids``, in the explorer's sort
order) and fetch the recommendations in chunks of 2,000 (four queries a chunk), so memory
stays flat and the number of queries grows with the number of chunks, not rows.

Pending machine suggestions get their own columns at the end, marked "(machine)", never mixed
into the human and imported labels of "action category" and "themes".

Cells are written by `uprhub.core.exports`, which neutralises spreadsheet formulas (CSV: a
leading apostrophe; XLSX: string cells, never formulas).
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import batched, islice
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from uprhub.core import exports as tabular
from uprhub.recommendations.importers.text import map_position
from uprhub.recommendations.models import (
    ActionCategory,
    Label,
    Position,
    Recommendation,
    RecommendingState,
    Suggestion,
    SuggestionKind,
    Theme,
)
from uprhub.reviews.models import RegionalGroup, Review, State
from uprhub.search import service
from uprhub.search.types import SearchQuery

CHUNK_SIZE = 2_000
_CODE = re.compile(r"[a-z]+(?:_[a-z]+)*")  # a machine code, not words a person wrote


def header() -> list[str]:
    return [
        _("id"),
        _("permalink"),
        _("State under review"),
        _("cycle"),
        _("session"),
        _("review date"),
        _("paragraph"),
        _("text"),
        _("recommending States"),
        _("recommending regional groups"),
        _("position"),
        _("position as published"),
        _("action category"),
        _("themes"),
        _("suggested issues (machine)"),
        _("suggested action category (machine)"),
        _("suggestion model version (machine)"),
    ]


class _Lookups:
    """Names of States, reviews and themes, read once per export (a few hundred rows each)."""

    def __init__(self, base_url: str) -> None:
        regions = {key: str(label) for key, label in RegionalGroup.choices}
        self.states = {
            pk: (name, regions.get(group, group))
            for pk, name, group in State.objects.values_list("id", "short_name", "regional_group")
        }
        self.reviews = {
            pk: (name, cycle, session, day.isoformat() if day else "")
            for pk, name, cycle, session, day in Review.objects.values_list(
                "id", "state__short_name", "session__cycle_id", "session_id", "review_date"
            )
        }
        self.themes = {
            pk: (vocabulary, name)
            for pk, vocabulary, name in Theme.objects.values_list("id", "vocabulary__name", "name")
        }
        self.positions = {key: str(label) for key, label in Position.choices}
        self.published: dict[str, str] = {}
        self.categories = {key: str(label) for key, label in ActionCategory.choices}
        # reverse() once: the permalink of every row differs only by its id.
        marker = 999_999_999
        self.permalink = base_url + reverse("recommendations:detail", args=[marker]).replace(
            str(marker), "{}"
        )


def _as_published(value: str, lookups: _Lookups) -> str:
    """The response as published, in words: a code such as "supported_noted" (OHCHR's CSV)
    becomes our label for it ("Supported in part"); words such as "Accepted" stay as they are."""
    if value not in lookups.published:
        position = map_position(value) if _CODE.fullmatch(value) else None
        lookups.published[value] = lookups.positions[position] if position else value
    return lookups.published[value]


def _pending_suggestions(chunk: tuple[int, ...], lookups: _Lookups) -> dict[int, list[str]]:
    """Recommendation id → [suggested issues, suggested action category, model versions], the
    pending machine suggestions of one chunk in one query, best first."""
    issues: dict[int, list[str]] = defaultdict(list)
    actions: dict[int, list[str]] = defaultdict(list)
    versions: dict[int, list[str]] = defaultdict(list)
    for rec_id, kind, theme_id, category, version in (
        Suggestion.objects.pending()
        .filter(recommendation_id__in=chunk)
        .order_by("-score", "pk")
        .values_list("recommendation_id", "kind", "theme_id", "action_category", "model_version")
    ):
        if kind == SuggestionKind.ISSUE:
            # .get: a theme the model created after the export started has no name here yet
            name = lookups.themes.get(theme_id, ("", ""))[1]
            if name:
                issues[rec_id].append(name)
        elif category:
            actions[rec_id].append(lookups.categories.get(category, str(category)))
        if version not in versions[rec_id]:
            versions[rec_id].append(version)
    return {
        pk: ["; ".join(issues[pk]), "; ".join(actions[pk]), "; ".join(versions[pk])]
        for pk in versions
    }


def _chunk_rows(chunk: tuple[int, ...], lookups: _Lookups) -> Iterator[list[Any]]:
    """Rows of one chunk of ids in four queries (recommendations, recommenders, labels,
    pending suggestions).

    Plain ``values_list`` reads rather than ``with_details()`` model instances: an export can
    be a million rows, and building and prefetching model objects made it ten times slower.
    """
    recs = {
        row[0]: row
        for row in Recommendation.objects.filter(pk__in=chunk)
        .order_by()
        .values_list(
            "id",
            "review_id",
            "paragraph",
            "text",
            "position",
            "position_as_published",
            "action_category",
        )
    }
    recommenders: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for rec_id, state_id in (
        RecommendingState.objects.filter(recommendation_id__in=chunk)
        .order_by()
        .values_list("recommendation_id", "state_id")
    ):
        recommenders[rec_id].append(lookups.states[state_id])
    themes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for rec_id, theme_id in (
        Label.objects.filter(recommendation_id__in=chunk)
        .order_by()
        .values_list("recommendation_id", "theme_id")
    ):
        themes[rec_id].append(lookups.themes[theme_id])
    suggested = _pending_suggestions(chunk, lookups)
    no_suggestion = ["", "", ""]

    for pk in chunk:
        if pk not in recs:  # deleted since the search ran
            continue
        _id, review_id, paragraph, text, position, as_published, category = recs[pk]
        state, cycle, session, review_date = lookups.reviews[review_id]
        by = sorted(recommenders.get(pk, ()))
        regions = sorted({region for _name, region in by if region})
        yield [
            pk,
            lookups.permalink.format(pk),
            state,
            cycle,
            session,
            review_date,
            paragraph,
            text,
            "; ".join(name for name, _region in by),
            "; ".join(regions),
            lookups.positions.get(position, position),
            _as_published(as_published, lookups),
            lookups.categories.get(category, "") if category else "",
            "; ".join(f"{vocabulary}: {name}" for vocabulary, name in sorted(themes.get(pk, ()))),
            *suggested.get(pk, no_suggestion),
        ]


def rows(query: SearchQuery, base_url: str, max_rows: int | None = None) -> Iterator[list[Any]]:
    """The export's rows for ``query``, in the explorer's order, at most ``max_rows``."""
    if max_rows is None:
        max_rows = settings.UPRHUB_EXPORT_MAX_ROWS
    return rows_for_ids(islice(service.iter_ids(query), max_rows), base_url)


def rows_for_ids(ids: Iterable[int], base_url: str) -> Iterator[list[Any]]:
    """The export's rows for these recommendation ids, in their order."""
    lookups: _Lookups | None = None
    for chunk in batched(ids, CHUNK_SIZE):
        lookups = lookups or _Lookups(base_url)
        yield from _chunk_rows(chunk, lookups)


def filename(fmt: str) -> str:
    return f"uprhub-recommendations-{timezone.now():%Y-%m-%d}.{fmt}"


def _rows(query: SearchQuery, base_url: str, ids: Iterable[int] | None) -> Iterator[list[Any]]:
    return rows(query, base_url) if ids is None else rows_for_ids(ids, base_url)


def csv_response(
    query: SearchQuery, request: HttpRequest, ids: Iterable[int] | None = None
) -> StreamingHttpResponse:
    """A streamed CSV (no cache, no slot: `export_delivery` decides when that is right)."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    lines = (
        line.encode("utf-8") for line in tabular.csv_lines(header(), _rows(query, base_url, ids))
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename("csv")}"'
    return response


def write_xlsx(records: Iterable[list[Any]], fileobj: Any) -> None:
    tabular.write_xlsx(header(), records, fileobj, title=_("Recommendations"))


def xlsx_response(
    query: SearchQuery, request: HttpRequest, ids: Iterable[int] | None = None
) -> FileResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    # openpyxl needs a seekable file to build the zip; the temporary file disappears when
    # FileResponse closes it after streaming.
    tmp = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by FileResponse
    write_xlsx(_rows(query, base_url, ids), tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename("xlsx"),
        content_type=tabular.XLSX_CONTENT_TYPE,
    )
