"""OHCHR recommendations CSV (the US 3rd-cycle list)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.conftest import OHCHR_CSV, table_counts
from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.ohchr_csv import import_ohchr_csv
from uprhub.recommendations.models import Position, Recommendation
from uprhub.reviews.models import Review

pytestmark = pytest.mark.django_db


def test_us_third_cycle_list(reference):
    summary = import_ohchr_csv(OHCHR_CSV)

    assert (summary.rows, summary.created) == (347, 347)
    review = Review.objects.get(state__code="USA", session=36)  # inferred from the file name
    recs = review.recommendations
    assert recs.count() == 347
    assert recs.filter(position=Position.SUPPORTED).count() == 263
    assert recs.filter(position=Position.SUPPORTED_IN_PART).count() == 17
    assert recs.filter(position=Position.NOTED).count() == 67
    assert recs.get(paragraph="26.9").position_as_published == "supported_noted"
    # Ordered by the numeric paragraph, not the string: 26.9 before 26.10.
    assert list(recs.order_by("paragraph_sort").values_list("paragraph", flat=True)[8:10]) == [
        "26.9",
        "26.10",
    ]
    first = recs.get(paragraph="26.1")
    assert first.labels.get().theme.vocabulary.slug == "ohchr-themes-cycle3"
    assert first.recommenders.get().state.code == "SOM"

    # Quirks of the source, kept visible.
    act = recs.filter(recommenders__state__code="ACT-GROUP")
    assert act.exists()
    last = recs.get(paragraph="26.347")
    assert last.recommenders.get().state.code == "NIC"
    assert not last.text.endswith("(Nicaragua).")
    venezuela = recs.get(paragraph="26.161")
    assert set(venezuela.recommenders.values_list("state__code", flat=True)) == {
        "X-BOLIVARIAN-REPUBLIC-OF",
        "NIC",
    }
    warned = {w.line: w.message for w in summary.warnings}
    assert "Bolivarian Republic of" in warned[162]
    assert "Nicaragua" in warned[348]
    # Identical texts numbered separately by the UN stay separate recommendations.
    same = recs.filter(
        text="Impose a moratorium on executions with a view to abolishing the "
        "death penalty nationwide"
    )
    assert sorted(same.values_list("paragraph", flat=True)) == ["26.187", "26.192"]

    before = table_counts()
    again = import_ohchr_csv(OHCHR_CSV)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 347)
    assert table_counts() == before


def test_state_and_session_options(reference, tmp_path: Path):
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(OHCHR_CSV.read_bytes())
    with pytest.raises(ImportFailed, match="--state"):
        import_ohchr_csv(renamed)
    with pytest.raises(ImportFailed, match="--session"):
        import_ohchr_csv(renamed, state="USA")
    summary = import_ohchr_csv(renamed, state="United States of America", session=36)
    assert summary.created == 347
    with pytest.raises(ImportFailed, match="unknown State 'Atlantis'"):
        import_ohchr_csv(renamed, state="Atlantis", session=36)


def test_corrected_text_updates_in_place(reference, tmp_path: Path):
    original = tmp_path / "usa-cycle3-recommendations.csv"
    original.write_bytes(OHCHR_CSV.read_bytes())
    import_ohchr_csv(original)
    rec = Recommendation.objects.get(paragraph="26.1", review__session=36)

    newer = tmp_path / "v2"
    newer.mkdir()
    text = OHCHR_CSV.read_text(encoding="utf-8").replace(
        "Consider ratifying all remaining human rights conventions",
        "Consider ratifying all the remaining human rights conventions",
    )
    (newer / original.name).write_text(text, encoding="utf-8")
    summary = import_ohchr_csv(newer / original.name)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 346)
    rec.refresh_from_db()
    assert rec.text == "Consider ratifying all the remaining human rights conventions"
    assert not [w for w in summary.warnings if "no longer in it" in w.message]
