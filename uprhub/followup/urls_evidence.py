"""URLs of this area of follow-up (included by ``urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
