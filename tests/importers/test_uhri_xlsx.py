"""UHRI Excel exports (synthetic files in the export's layout, with real US recommendations)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.importers.conftest import table_counts
from uprhub.recommendations.importers.base import ImportFailed
from uprhub.recommendations.importers.uhri_xlsx import excel_date, import_uhri_xlsx
from uprhub.recommendations.models import Position, Recommendation, Theme
from uprhub.reviews.models import Review

pytestmark = pytest.mark.django_db

COLUMNS = [
    "Text",
    "Countries Concerned",
    "Recommending Body",
    "UPR Recommending States",
    "UPR Position",
    "Themes",
    "Affected Persons",
    "SDGs",
    "Document Symbol",
    "Document Publication Date",
    "OHCHR Annotation Id",
    "UPR Session",
]


def make_export(path: Path, rows: list[dict], *, title: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(c) for c in COLUMNS])
    book.save(path)
    return path


ROWS = [
    {
        "Text": "26.1 Consider ratifying all remaining human rights conventions",
        "Countries Concerned": "- United States of America",
        "Recommending Body": "UPR",
        "UPR Recommending States": "- Somalia",
        "UPR Position": "Supported",
        "Themes": "- Ratification of & accession to international instruments",
        "Affected Persons": "- General",
        "SDGs": "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS\n- 10 - REDUCED INEQUALITIES",
        "Document Symbol": "A/HRC/46/15",
        "Document Publication Date": 44217,
        "OHCHR Annotation Id": "a1",
        "UPR Session": 36,
    },
    {
        "Text": "Ratify the Convention on the Rights of the Child",
        "Countries Concerned": "- United States of America",
        "Recommending Body": "UPR",
        "UPR Recommending States": "- Canada\n- France",
        "UPR Position": "Supported/Noted",
        "Themes": "- Children: definition; general principles; protection",
        "Affected Persons": "- Children",
        "SDGs": None,
        "Document Symbol": "A/HRC/46/15",
        "Document Publication Date": 44217,
        "OHCHR Annotation Id": "a2",
        "UPR Session": "36",
    },
    {
        "Text": "Ratify the Optional Protocol to the Convention on the Rights of the Child",
        "Countries Concerned": "- United States of America",
        "Recommending Body": "CRC",
        "UPR Recommending States": None,
        "UPR Position": None,
        "OHCHR Annotation Id": "a3",
        "UPR Session": None,
    },
    {},
    {
        "Text": "Ratify the Convention on the Elimination of All Forms of Discrimination "
        "against Women (Spain)",
        "Countries Concerned": "- United States of America",
        "Recommending Body": "UPR",
        "UPR Recommending States": "- Spain",
        "UPR Position": "Noted",
        "Themes": "- A12 Acceptance of international norms\n- F12 Discrimination against women",
        "Affected Persons": "- women",
        "Document Symbol": "A/HRC/30/12",
        "Document Publication Date": "2015-07-20",
        "OHCHR Annotation Id": "a4",
        "UPR Session": "UPR 22",
    },
]


def test_export_is_imported(reference, tmp_path: Path):
    path = make_export(tmp_path / "uhri-usa.xlsx", ROWS, title="Universal Human Rights Index")
    summary = import_uhri_xlsx(path)

    assert (summary.rows, summary.created) == (3, 3)
    assert any("1 rows of other bodies" in w.message for w in summary.warnings)
    third = Review.objects.get(state__code="USA", session=36)
    first = third.recommendations.get(paragraph="26.1")
    assert first.text == "Consider ratifying all remaining human rights conventions"
    assert first.position == Position.SUPPORTED
    assert set(first.labels.values_list("theme__vocabulary__slug", "theme__name")) == {
        ("ohchr-themes-cycle3", "Ratification of & accession to international instruments"),
        ("ohchr-groups-cycle3", "General"),
        ("sdg", "SDG 16 – Peace, justice and strong institutions"),
        ("sdg", "SDG 10 – Reduced inequalities"),
    }
    shared = third.recommendations.get(text="Ratify the Convention on the Rights of the Child")
    assert shared.position == Position.SUPPORTED_IN_PART
    assert set(shared.recommenders.values_list("state__code", flat=True)) == {"CAN", "FRA"}

    second = Review.objects.get(state__code="USA", session=22)
    cedaw = second.recommendations.get()
    assert cedaw.text.endswith("against Women")  # "(Spain)" is the recommender, not the text
    assert cedaw.recommenders.get().state.code == "ESP"
    assert Theme.objects.get(vocabulary__slug="ohchr-themes-cycle2", code="A12").name == (
        "Acceptance of international norms"
    )
    assert cedaw.labels.filter(theme__vocabulary__slug="ohchr-groups-cycle2").exists()

    before = table_counts()
    again = import_uhri_xlsx(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert table_counts() == before


def test_wrong_position_names_the_row(reference, tmp_path: Path):
    rows = [dict(ROWS[0]), dict(ROWS[1], **{"UPR Position": "Maybe"})]
    path = make_export(tmp_path / "bad.xlsx", rows)
    before = table_counts()
    with pytest.raises(ImportFailed) as failure:
        import_uhri_xlsx(path)
    assert str(failure.value) == (
        "bad.xlsx, row 3: unknown UPR Position 'Maybe' "
        "(expected one of: Supported, Noted, Supported/Noted, Pending)"
    )
    assert table_counts() == before
    assert not Recommendation.objects.exists()


def test_excel_dates():
    assert excel_date(44217) == dt.date(2021, 1, 21)
    assert excel_date(44217.75) == dt.date(2021, 1, 21)
    assert excel_date("44217") == dt.date(2021, 1, 21)
    assert excel_date(dt.datetime(2021, 1, 21, 9, 30)) == dt.date(2021, 1, 21)
    assert excel_date("2015-07-20") == dt.date(2015, 7, 20)
    assert excel_date("soon") is None
    assert excel_date(None) is None
