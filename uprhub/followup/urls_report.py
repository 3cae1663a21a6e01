"""URLs of this area of follow-up (included by ``urls.py``): the implementation report."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import report

urlpatterns: list[URLPattern] = [
    path(
        "rounds/<slug:slug>/report.docx",
        report.download,
        {"fmt": "docx"},
        name="report_docx",
    ),
    path("rounds/<slug:slug>/report.pdf", report.download, {"fmt": "pdf"}, name="report_pdf"),
    path("rounds/<slug:slug>/insert/", report.insert, name="report_insert"),
]
