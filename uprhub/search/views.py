"""Explorer (search with facets), recommendation permalinks and exports of any result set."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from uprhub.recommendations import panels, selectors
from uprhub.search import service, suggest
from uprhub.search.request import LIMITS, SearchRequestError, parse_search_request
from uprhub.search.types import FACETS, Facet, FacetValue, SearchQuery, SearchResult

from . import export_delivery

#: Values of a facet shown before the "more" disclosure.
FACET_VALUES_SHOWN = 8

SORT_LABELS = {
    "relevance": _("Best match"),
    "-date": _("Newest review first"),
    "date": _("Oldest review first"),
    "paragraph": _("Paragraph number"),
}


@dataclass
class PageLink:
    number: int | None  # None for an ellipsis
    url: str = ""
    current: bool = False


@dataclass
class FacetGroup:
    """One fieldset of the sidebar: a facet, or one vocabulary of the theme facet."""

    key: str
    name: str
    legend: str
    shown: list[FacetValue]
    more: list[FacetValue]


@dataclass
class ActiveFilter:
    facet: str
    label: str
    remove_url: str


def _bad_request(request: HttpRequest, error: SearchRequestError) -> HttpResponse:
    context = {"messages_list": error.messages(), "limits": LIMITS}
    return render(request, "recommendations/search_error.html", context, status=400)


def explorer(request: HttpRequest) -> HttpResponse:
    try:
        query = parse_search_request(request.GET, source="web")
    except SearchRequestError as error:
        return _bad_request(request, error)
    result = service.search(query, suggest_when_empty=True)
    if query.page > result.pages:
        # A shared link to a page that no longer exists: show the last one instead.
        return redirect(_url(dataclasses.replace(query, page=result.pages)))
    return render(request, "recommendations/explorer.html", _explorer_context(query, result))


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = selectors.recommendation_page(pk)
    if recommendation is None:
        raise Http404(_("No recommendation has this number."))
    return render(
        request,
        "recommendations/detail.html",
        {
            "recommendation": recommendation,
            "similar": service.similar(recommendation, limit=5),
            "permalink": request.build_absolute_uri(recommendation.get_absolute_url()),
            # What higher apps add (follow-up's earlier and later cycles): see panels.py.
            "panels": panels.panels(panels.RECOMMENDATION, recommendation),
        },
    )


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        query = parse_search_request(request.GET, source="web")
    except SearchRequestError as error:
        return _bad_request(request, error)
    # Cached per data version, big ones limited to a few at a time (see export_delivery).
    return export_delivery.export_response(request, query, fmt)


def _url(query: SearchQuery, name: str = "recommendations:explorer") -> str:
    params = service.query_to_params(query)
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _explorer_context(query: SearchQuery, result: SearchResult) -> dict:
    first_page = dataclasses.replace(query, page=1)
    active: list[ActiveFilter] = []
    for name in FACETS:
        selected = getattr(query, name)
        if not selected:
            continue
        facet = result.facets.get(name)
        labels = {v.value: v.label for v in facet.values} if facet else {}
        for value in selected:
            remaining = tuple(v for v in selected if v != value)
            active.append(
                ActiveFilter(
                    facet=str(facet.label) if facet else name,
                    label=labels.get(str(value), str(value)),
                    remove_url=_url(dataclasses.replace(first_page, **{name: remaining})),
                )
            )
    return {
        "query": query,
        "result": result,
        "facet_groups": _facet_groups(result),
        "active_filters": active,
        "clear_text_url": _url(dataclasses.replace(first_page, text="")) if query.text else "",
        "clear_all_url": reverse("recommendations:explorer"),
        "share_url": _url(query),
        "pages": _page_links(query, result.pages),
        "prev_url": _url(dataclasses.replace(query, page=query.page - 1)) if query.page > 1 else "",
        "next_url": _url(dataclasses.replace(query, page=query.page + 1))
        if query.page < result.pages
        else "",
        "first_index": (query.page - 1) * query.page_size + 1,
        "sorts": list(SORT_LABELS.items()),
        "export_csv_url": _export_url(first_page, "csv"),
        "export_xlsx_url": _export_url(first_page, "xlsx"),
        "export_max_rows": settings.UPRHUB_EXPORT_MAX_ROWS,
        "max_text": LIMITS["max_text"],
        "export_capped": result.total > settings.UPRHUB_EXPORT_MAX_ROWS,
        # How the words were understood, and what to try when nothing matched (search layer).
        "suggestion_links": [(suggest.describe(s), _url(s.query)) for s in result.suggestions],
        "literal_url": _url(dataclasses.replace(first_page, literal=True))
        if result.also_searched or result.themes_included
        else "",
        "understood_url": _url(dataclasses.replace(first_page, literal=False))
        if query.literal
        else "",
    }


def _facet_groups(result: SearchResult, visible: int = FACET_VALUES_SHOWN) -> list[FacetGroup]:
    """Split the facets into fieldsets; each shows its selected values and the largest counts,
    the rest behind a "more" disclosure."""
    groups: list[FacetGroup] = []
    for name in FACETS:
        facet: Facet | None = result.facets.get(name)
        if facet is None or not facet.values:
            continue
        by_group: dict[str, list[FacetValue]] = {}
        for value in facet.values:
            by_group.setdefault(value.group, []).append(value)
        for index, (group, values) in enumerate(by_group.items()):
            legend = f"{facet.label}: {group}" if group else str(facet.label)
            room = max(visible - sum(v.selected for v in values), 0)
            first = {id(v) for v in [v for v in values if not v.selected][:room]}
            shown = [v for v in values if v.selected or id(v) in first]
            more = [v for v in values if not (v.selected or id(v) in first)]
            groups.append(FacetGroup(f"{name}-{index}", name, legend, shown, more))
    return groups


def _export_url(query: SearchQuery, fmt: str) -> str:
    params = service.query_to_params(query)
    url = reverse("recommendations:export", kwargs={"fmt": fmt})
    return url + ("?" + urlencode(params) if params else "")


def _page_links(query: SearchQuery, pages: int, window: int = 2) -> list[PageLink]:
    """1 … 4 5 [6] 7 8 … 20: first, last and a window around the current page."""
    if pages <= 1:
        return []
    links: list[PageLink] = []
    shown = {1, pages, *range(query.page - window, query.page + window + 1)}
    for number in range(1, pages + 1):
        if number in shown:
            links.append(
                PageLink(
                    number,
                    _url(dataclasses.replace(query, page=number)),
                    current=number == query.page,
                )
            )
        elif links and links[-1].number is not None:
            links.append(PageLink(None))
    return links
