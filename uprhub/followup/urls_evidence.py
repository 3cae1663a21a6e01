"""URLs of this area of follow-up (included by ``urls.py``): deciding on stored evidence
suggestions."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import evidence

urlpatterns: list[URLPattern] = [
    path(
        "rounds/<slug:slug>/evidence/<int:pk>/accept",
        evidence.accept,
        name="evidence_accept",
    ),
    path(
        "rounds/<slug:slug>/evidence/<int:pk>/reject",
        evidence.reject,
        name="evidence_reject",
    ),
]
