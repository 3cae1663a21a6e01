"""The Word-draft check page groups its word counts like the editor and the CLI."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.reports_export.samples import long_report
from uprhub.reports.export.docx import build_docx


def test_the_upload_check_groups_thousands(world, client):
    client.force_login(world.people["registered"])
    upload = SimpleUploadedFile("draft.docx", build_docx(long_report(3000)))
    response = client.post(reverse("reports:upload_check"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "limit 2,815." in page and "Cut at least" in page
    assert "limit 2815" not in page
