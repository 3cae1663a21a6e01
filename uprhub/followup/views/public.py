"""The public scorecards: no sign-in, published positions only (see `followup/scorecard.py`).

Every page here reads through `scorecard` (which asks `Position.objects.published()`), so a
draft cannot reach a page, a download or the embed. Only the embed page may be framed by
other sites (`UPRHUB_EMBED_FRAME_ANCESTORS`); every other page keeps the site's
``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from .. import charts, scorecard, scorecard_cache, scorecard_export


def _card(request: HttpRequest, iso3: str, cycle: int) -> scorecard.Scorecard:
    review = scorecard.review_or_404(iso3, cycle)
    rounds = scorecard.published_rounds(review)
    round_ = scorecard.choose_round(rounds, request.GET.get("round", "").strip())
    compare = request.GET.get("compare", "").strip()
    return scorecard_cache.scorecard_for(review, round_, rounds, compare=compare)


def _query(request: HttpRequest, **changes: Any) -> str:
    """This page's query string with ``changes`` (None removes a parameter)."""
    params = {k: v for k, v in request.GET.items() if v}
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def _round_query(card: scorecard.Scorecard) -> str:
    """``?round=…`` when the round shown is not the default (downloads name the same round)."""
    return "" if card.round == card.rounds[0] else "?" + urlencode({"round": card.round.slug})


def _tables(card: scorecard.Scorecard, *names: str) -> dict[str, SafeString]:
    """The tables beside the charts (the figures' accessible source of truth)."""
    made = {
        "buckets": lambda: charts.bucket_table(
            [card.by_bucket], _("Recommendations by implementation"), _("Recommendations")
        ),
        "responses": lambda: charts.bucket_table(
            card.by_response, _("Implementation by the State's response"), _("Response")
        ),
        "themes": lambda: charts.bucket_table(
            card.by_theme, _("Implementation by theme"), _("Theme")
        ),
        "groups": lambda: charts.bucket_table(
            card.by_group,
            _("Implementation by the regional group of the recommending States"),
            _("Regional group"),
        ),
        "states": lambda: charts.bucket_table(
            card.by_state, _("Implementation by recommending State"), _("Recommending State")
        ),
    }
    return {name: card.once(f"table:{name}", made[name]) for name in names}


def _buckets() -> list[tuple[str, str]]:
    return [(b, scorecard.bucket_label(b)) for b in scorecard.BUCKETS]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "followup/public/index.html", {"reviews": scorecard.reviews_with_published()}
    )


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """How following up works, for a newcomer: the scales, the roles, the steps."""
    return render(request, "followup/public/about.html", {"scales": scorecard.scales()})


@require_GET
def scorecard_page(request: HttpRequest, iso3: str, cycle: str) -> HttpResponse:
    card = _card(request, iso3, int(cycle))
    chosen = {
        "bucket": request.GET.get("bucket", "").strip(),
        "theme": request.GET.get("theme", "").strip(),
        "response": request.GET.get("response", "").strip(),
        "sort": request.GET.get("sort", "").strip(),
    }
    if chosen["sort"] not in scorecard.SORTS:
        chosen["sort"] = "paragraph"
    rows = scorecard.filter_rows(card.rows, **chosen)
    page = Paginator(rows, settings.UPRHUB_PAGE_SIZE).get_page(request.GET.get("page"))
    embed_url = request.build_absolute_uri(
        reverse("followup:scorecard_embed", args=[card.review.state.iso3, card.cycle])
        + _round_query(card)
    )
    context = {
        "card": card,
        "page": page,
        "chosen": chosen,
        "filtered": len(rows),
        "charts": {
            name: card.once(f"chart:{name}", partial(charts.chart, name, card))
            for name in charts.CHARTS
        },
        "buckets": _buckets(),
        "tables": _tables(card, "buckets", "responses", "themes", "groups", "states"),
        "responses": [(line.key, line.label) for line in card.by_response],
        "themes": sorted(line.label for line in card.by_theme),
        "sorts": scorecard.SORTS,
        "round_query": _round_query(card),
        "prev_query": _query(request, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_query": _query(request, page=page.next_page_number()) if page.has_next() else "",
        "embed_url": embed_url,
    }
    return render(request, "followup/public/scorecard.html", context)


def _frame_ancestors() -> list[str]:
    return list(settings.UPRHUB_EMBED_FRAME_ANCESTORS) or ["'none'"]


@require_GET
@xframe_options_exempt
def scorecard_embed(request: HttpRequest, iso3: str, cycle: str) -> HttpResponse:
    """A compact scorecard other sites may frame: no site chrome, no form, no session, links
    open outside the frame. Framing is allowed by CSP ``frame-ancestors`` (the setting, read
    per request so that changing it needs no new decorator) instead of X-Frame-Options."""
    card = _card(request, iso3, int(cycle))
    context = {
        "card": card,
        "charts": {
            n: card.once(f"embed:{n}", partial(charts.chart, n, card, prefix="embed"))
            for n in ("grades", "responses")
        },
        "tables": _tables(card, "responses"),
        "full_url": request.build_absolute_uri(
            reverse("followup:scorecard", args=[card.review.state.iso3, card.cycle])
            + _round_query(card)
        ),
    }
    response = render(request, "followup/public/embed.html", context)
    # What django.views.decorators.csp.csp_override does, with the setting read now.
    response._csp_config = {  # type: ignore[attr-defined]
        **settings.SECURE_CSP,
        "frame-ancestors": _frame_ancestors(),
    }
    return response


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def scorecard_csv(request: HttpRequest, iso3: str, cycle: str) -> HttpResponseBase:
    card = _card(request, iso3, int(cycle))
    response = StreamingHttpResponse(
        scorecard_export.csv_text(card), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, card.filename("csv"))


@require_GET
def scorecard_json(request: HttpRequest, iso3: str, cycle: str) -> HttpResponseBase:
    card = _card(request, iso3, int(cycle))
    body = json.dumps(scorecard_export.to_dict(card), cls=DjangoJSONEncoder, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _attachment(response, card.filename("json"))


@require_GET
def scorecard_chart(request: HttpRequest, iso3: str, cycle: str, name: str) -> HttpResponseBase:
    if name not in charts.CHARTS:
        raise Http404("No such chart.")
    card = _card(request, iso3, int(cycle))
    svg = charts.chart(name, card, standalone=True)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    return _attachment(response, card.filename(f"{name}.svg"))
