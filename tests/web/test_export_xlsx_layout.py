"""An XLSX export reads well when opened: sized columns, a frozen bold header with filters,
positions in words. Cells still go through `uprhub.core.exports` (formulas stay text)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import RecommendationFactory
from uprhub.core import exports as tabular
from uprhub.recommendations.models import Position
from uprhub.search import exports

pytestmark = pytest.mark.django_db

XLSX_URL = reverse("recommendations:export", kwargs={"fmt": "xlsx"})
CSV_URL = reverse("recommendations:export", kwargs={"fmt": "csv"})


def sheet_of(response):
    body = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(body)).active


def test_header_is_frozen_bold_and_filtered_and_columns_are_sized(client, web_data):
    sheet = sheet_of(client.get(XLSX_URL, {"state": "USA"}))
    rows = sheet.max_row
    columns = len(exports.header())
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(columns)}{rows}"
    assert all(cell.font.b for cell in sheet[1])
    widths = {
        sheet.cell(1, i).value: sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width
        for i in range(1, columns + 1)
    }
    # The text column is as wide as allowed; short columns stay narrow but show their header.
    assert widths["text"] == tabular.XLSX_MAX_WIDTH
    assert tabular.XLSX_MIN_WIDTH <= widths["cycle"] < 15
    assert widths["recommending States"] >= len("recommending States")


def test_positions_are_in_words(client, web_data):
    review = web_data.recommendations[4].review
    RecommendationFactory(
        review=review,
        paragraph="26.9",
        text="Ratify the Convention on the Rights of the Child",
        position=Position.SUPPORTED_IN_PART,
        position_as_published="supported_noted",
    )
    RecommendationFactory(
        review=review,
        paragraph="26.10",
        text="Abolish the death penalty",
        position=Position.SUPPORTED,
        position_as_published="Accepted",
    )
    header = exports.header()
    position, published = header.index("position"), header.index("position as published")
    sheet = sheet_of(client.get(XLSX_URL, {"state": "USA"}))
    by_paragraph = {row[6]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_paragraph["26.9"][position] == "Supported in part"
    assert by_paragraph["26.9"][published] == "Supported in part"  # not "supported_noted"
    assert by_paragraph["26.10"][published] == "Accepted"  # words as published stay
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert "supported_noted" not in values


def test_formulas_stay_text_with_the_new_layout(client, web_data):
    sheet = sheet_of(client.get(XLSX_URL, {"state": "USA"}))
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]
    assert any(str(c.value).startswith("=HYPERLINK") and c.data_type == "s" for c in cells)


def test_write_xlsx_sizes_from_rows_it_has_not_yet_written(tmp_path):
    path = tmp_path / "t.xlsx"
    records = ([n, "x" * (n % 50)] for n in range(1000))  # a generator, streamed once
    tabular.write_xlsx(["n", "words"], records, str(path), title="T")
    sheet = openpyxl.load_workbook(path).active
    assert sheet.max_row == 1001
    assert sheet.auto_filter.ref == "A1:B1001"
    assert sheet.column_dimensions["B"].width == 49 + 3
    assert [sheet.cell(2, 1).value, sheet.cell(1001, 1).value] == [0, 999]


def test_empty_export_still_has_a_filtered_header(tmp_path):
    path = tmp_path / "t.xlsx"
    tabular.write_xlsx(["=id", "text"], [], str(path), title="T")
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["=id", "text"]
    assert sheet["A1"].data_type == "s"
    assert sheet.auto_filter.ref == "A1:B1"
