"""Reference data: States, aliases, cycles, sessions, known reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.importers.conftest import table_counts
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.reviews.models import Cycle, Review, Session, State, StateAlias

pytestmark = pytest.mark.django_db


def test_reference_data_loads_once_and_keeps_edits():
    summary = load_reference_data()
    assert summary.created > 0
    assert State.objects.filter(kind="member").count() == 193
    assert StateAlias.objects.get(key="dpr korea").state.code == "PRK"
    assert Cycle.objects.get(number=2).start_date == dt.date(2012, 5, 21)
    assert Session.objects.get(number=36).cycle_id == 3
    us = Review.objects.get(state__code="USA", session=36)
    assert us.wg_report_symbol == "A/HRC/46/15"
    assert us.national_report_symbol == "A/HRC/WG.6/36/USA/1"

    # A coordinator corrects a date; loading again keeps it and says so.
    Session.objects.filter(number=51).update(start_date=dt.date(2026, 1, 26))
    before = table_counts()
    again = load_reference_data()
    assert (again.created, again.updated) == (0, 0)
    assert table_counts() == before
    assert Session.objects.get(number=51).start_date == dt.date(2026, 1, 26)
    assert any("UPR 51" in w.message for w in again.warnings)
