"""URLs of assessment rounds (included by ``urls.py``): names ``followup:rounds``,
``followup:round`` and friends."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import rounds

urlpatterns: list[URLPattern] = [
    path("rounds/", rounds.index, name="rounds"),
    path("rounds/new/", rounds.create, name="round_new"),
    path("rounds/<slug:slug>/", rounds.detail, name="round"),
    path("rounds/<slug:slug>/settings/", rounds.edit, name="round_edit"),
    path("rounds/<slug:slug>/close/", rounds.close, name="round_close"),
    path("rounds/<slug:slug>/reopen/", rounds.reopen, name="round_reopen"),
    path("rounds/<slug:slug>/people/", rounds.people, name="round_people"),
    path("rounds/<slug:slug>/evidence/compute/", rounds.compute_evidence, name="round_evidence"),
    path(
        "rounds/<slug:slug>/people/<int:pk>/remove/",
        rounds.remove_role,
        name="round_role_remove",
    ),
]
