"""Consultations' anonymised results × roles: the export service (`uprhub consultations export`
calls it as the command line) and its unmoderated variant. The read API's grid, which asks the
same rule, is in tests/consultations/test_api.py."""

from __future__ import annotations

import pytest

from uprhub.consultations import exporting, services
from uprhub.consultations.models import Testimony, TestimonyStatus

from .grid import check_cell
from .test_grid_consultations import CONSULTATION_ROLES, _consultation, _who

pytestmark = pytest.mark.django_db

READERS = {"system", "member", "coordinator", "admin", "facilitator", "moderator"}
RUNNERS = {"system", "coordinator", "admin", "facilitator", "moderator"}


def _with_testimony():
    consultation = _consultation()
    testimony, _code = services.submit_testimony(
        consultation, services.TestimonyInput(text="No water since May.", language="en")
    )
    Testimony.objects.filter(pk=testimony.pk).update(status=TestimonyStatus.APPROVED)
    return consultation


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_view_results(role):
    consultation = _with_testimony()
    who = _who(role, consultation)
    data = check_cell(
        who=who,
        perm="consultations.view_results",
        obj=consultation,
        expected="allow" if role in READERS else "deny",
        call=lambda: exporting.export_consultation(consultation, actor=who),
        snapshot=lambda: Testimony.objects.count(),
        allow_no_change=True,  # a read
    )
    if role in READERS:
        assert [item["text"] for item in data["items"]] == ["No water since May."]


@pytest.mark.parametrize("role", CONSULTATION_ROLES)
def test_export_unmoderated(role):
    consultation = _with_testimony()
    who = _who(role, consultation)
    check_cell(
        who=who,
        perm="consultations.manage",
        obj=consultation,
        expected="allow" if role in RUNNERS else "deny",
        call=lambda: exporting.export_consultation(
            consultation, actor=who, include_unmoderated=True
        ),
        snapshot=lambda: Testimony.objects.count(),
        allow_no_change=True,
    )
