"""A real import (the runner every import and the first run's bundled load go through) links
the imported review to the State's earlier cycle (both databases)."""

from __future__ import annotations

import pytest

from tests.followup.test_carry_links import add_all_first
from tests.importers.conftest import OHCHR_CSV
from tests.importers.conftest import reference as reference  # noqa: PLC0414 - the fixture
from uprhub.followup.models import CarryForward
from uprhub.recommendations.importers.ohchr_csv import import_ohchr_csv
from uprhub.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_importing_the_third_cycle_links_it_to_the_first(reference):
    first = Review.objects.get(state__code="USA", session=9)
    add_all_first(first)
    import_ohchr_csv(OHCHR_CSV)
    third = Review.objects.get(state__code="USA", session=36)
    links = CarryForward.objects.filter(later__review=third)
    assert 100 <= links.values("later").distinct().count() <= 130
    assert {link.earlier.review_id for link in links} == {first.pk}
    # A dry run changes nothing, so it links nothing either.
    links.delete()
    import_ohchr_csv(OHCHR_CSV, dry_run=True)
    assert not CarryForward.objects.exists()
