"""Import summaries said in words: rows merged into an earlier row's recommendation, and the
warnings grouped by what they are about (the first start prints these)."""

from __future__ import annotations

import pytest
from django.utils import translation

from uprhub.recommendations.importers.base import ImportSummary, ImportWarning, WarningKind
from uprhub.recommendations.importers.explain import explain
from uprhub.recommendations.importers.uprinfo import import_uprinfo
from uprhub.recommendations.models import SourceKind

from .conftest import uprinfo_lines, write_lines


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def test_the_bundled_uprinfo_summary_in_words():
    warnings = [ImportWarning(1, "…", kind=WarningKind.REPEAT)] * 4 + [
        ImportWarning(2, "…", kind=WarningKind.CONFLICT)
    ] * 5
    summary = ImportSummary(
        kind=SourceKind.UPRINFO_CSV,
        file="recommendations-sessions-01-17.csv",
        rows=33_082,
        created=32_082,
        merged=1_000,
        warnings=warnings,
    )
    assert explain(summary) == [
        "From 33,082 rows: 32,082 recommendations added.",
        "1,000 rows repeated something already read and were merged into it (UPR Info lists "
        "a recommendation made by several States once for each of them; every recommending "
        "State is kept).",
        "9 warnings, nothing was left out: 4 rows repeat an earlier row exactly (merged); "
        "5 rows disagree with an earlier row of the same recommendation on its position, "
        "action category or text (the earlier row is kept).",
    ]


def test_unknown_names_missing_cells_and_other_notes():
    summary = ImportSummary(
        kind=SourceKind.OHCHR_CSV,
        file="usa.csv",
        rows=1,
        created=0,
        unchanged=1,
        warnings=[
            ImportWarning(3, "…", kind=WarningKind.UNKNOWN_NAME),
            ImportWarning(4, "…", kind=WarningKind.MISSING),
            ImportWarning(5, "…"),
        ],
    )
    assert explain(summary) == [
        "From 1 row: 0 recommendations added, 1 already there, unchanged.",
        "3 warnings, nothing was left out: 1 State name is not recognised and is kept as an "
        "“unknown” State; 1 row has an empty cell, filled in from the text or recorded as "
        "unknown; 1 other note.",
    ]


def test_an_import_counts_its_merged_rows_and_kinds_its_warnings(reference, tmp_path):
    lines = uprinfo_lines()
    # Lines 203–217 hold one recommendation from several States, two rows of which disagree
    # on the action category; 11858–11859 repeat a row exactly.
    path = write_lines(tmp_path / "part.csv", [lines[0], *lines[202:217], *lines[11857:11859]])
    summary = import_uprinfo(path)
    assert summary.rows == 17
    assert summary.merged == summary.rows - summary.created > 0
    kinds = sorted(w.kind for w in summary.warnings)
    assert kinds == [WarningKind.CONFLICT, WarningKind.CONFLICT, WarningKind.REPEAT]
    assert summary.as_dict()["merged"] == summary.merged
