"""URLs of assessing and reviewing (included by ``urls.py``): /followup/rounds/<slug>/work/…"""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import work

urlpatterns: list[URLPattern] = [
    path("rounds/<slug:slug>/work/", work.work, name="work"),
    path(
        "rounds/<slug:slug>/work/recommendations/<int:pk>/",
        work.recommendation,
        name="recommendation",
    ),
    path("rounds/<slug:slug>/work/clusters/<int:pk>/", work.cluster, name="cluster"),
    path("rounds/<slug:slug>/work/review/", work.review_queue, name="review_queue"),
    path("rounds/<slug:slug>/work/transitions/", work.bulk_transition, name="bulk_transition"),
]
