"""The public scorecards (included by ``urls.py``, namespace ``followup``).

A State is named by its ISO3 code (three letters), so these addresses cannot catch another
area's ("rounds/…").
"""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from .views import public

_CARD = r"^(?P<iso3>[A-Za-z]{3})/(?P<cycle>[0-9]{1,2})/"

urlpatterns: list[URLPattern] = [
    path("", public.index, name="index"),
    path("about/", public.about, name="about"),
    re_path(_CARD + r"$", public.scorecard_page, name="scorecard"),
    re_path(_CARD + r"embed/$", public.scorecard_embed, name="scorecard_embed"),
    re_path(_CARD + r"scorecard\.csv$", public.scorecard_csv, name="scorecard_csv"),
    re_path(_CARD + r"scorecard\.json$", public.scorecard_json, name="scorecard_json"),
    re_path(
        _CARD + r"charts/(?P<name>[a-z]+)\.svg$", public.scorecard_chart, name="scorecard_chart"
    ),
]
