"""CSV and XLSX exports of explorer result sets."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from uprhub.search import exports
from uprhub.search.types import SearchQuery

pytestmark = pytest.mark.django_db

CSV_URL = reverse("recommendations:export", kwargs={"fmt": "csv"})
XLSX_URL = reverse("recommendations:export", kwargs={"fmt": "xlsx"})


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response):
    body = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(body)).active


def test_csv_export_has_header_and_all_rows_in_order(client, web_data):
    response = client.get(CSV_URL, {"state": "USA", "sort": "paragraph"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="uprhub-recommendations-'
    )
    rows = read_csv(response)
    assert rows[0] == exports.header()
    assert len(rows) == 1 + 7
    by_paragraph = {row[6]: row for row in rows[1:]}
    row = by_paragraph["26.3"]
    rec = web_data.recommendations[4]
    assert row[0] == str(rec.pk)
    assert row[1] == f"http://testserver/recommendations/{rec.pk}/"
    assert row[2:6] == ["United States", "3", "36", "2020-11-09"]
    assert row[7] == rec.text  # markup is data in a CSV: kept as written
    assert row[8] == "France; Kenya"
    assert row[9] == "African Group; Western European and Others Group"
    assert row[10] == "Supported"
    assert row[12] == "4 — General action"
    assert row[13] == "UPR Info issues: Women's rights"
    both = by_paragraph["26.1"][13]
    assert both == (
        "OHCHR themes (3rd cycle): Conditions of detention; UPR Info issues: Torture and other CID"
    )


def test_csv_export_follows_the_explorer_query(client, web_data):
    rows = read_csv(client.get(CSV_URL, {"q": "torture", "position": "noted"}))
    assert sorted(r[6] for r in rows[1:]) == ["176.1", "26.1"]


def test_csv_export_neutralises_formulas(client, web_data):
    rows = read_csv(client.get(CSV_URL, {"state": "USA"}))
    texts = {r[6]: r[7] for r in rows[1:]}
    assert texts["26.4"].startswith("'=HYPERLINK(")
    assert texts["26.5"] == "'+Consider a moratorium on executions"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_xlsx_export(client, web_data):
    response = client.get(XLSX_URL, {"state": "USA"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = read_xlsx(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.header()
    assert len(rows) == 1 + 7
    by_paragraph = {row[6]: row for row in rows[1:]}
    assert by_paragraph["26.3"][8] == "France; Kenya"
    assert by_paragraph["26.3"][0] == web_data.recommendations[4].pk


def test_xlsx_export_writes_formulas_as_text(client, web_data):
    sheet = read_xlsx(client.get(XLSX_URL, {"state": "USA"}))
    cells = [row[7] for row in sheet.iter_rows(min_row=2)]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)


def test_export_is_capped(client, web_data, settings):
    settings.UPRHUB_EXPORT_MAX_ROWS = 3
    rows = read_csv(client.get(CSV_URL))
    assert len(rows) == 1 + 3
    sheet = read_xlsx(client.get(XLSX_URL))
    assert sheet.max_row == 1 + 3


def test_export_reads_in_chunks(client, db, monkeypatch, django_assert_max_num_queries):
    from tests.web.factories import make_web_data

    make_web_data(extra=23)  # 30 rows
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    client.get(reverse("recommendations:explorer"))  # load the search layer's facet index
    # Four queries per chunk (recommendations, recommending States, labels, pending machine
    # suggestions), three name lookups once, the search layer's version check and the export
    # cache's (a primary-key read each).
    with django_assert_max_num_queries(3 * 4 + 3 + 2):
        rows = read_csv(client.get(CSV_URL))
    assert len(rows) == 1 + 30
    assert [int(r[0]) for r in rows[1:]] == list(exports.service.iter_ids(SearchQuery()))


def test_unknown_export_format_is_404(client, db):
    assert client.get("/recommendations/export.pdf").status_code == 404


def test_empty_export_has_only_the_header(client, db):
    rows = read_csv(client.get(CSV_URL, {"q": "nothing matches this"}))
    assert rows == [exports.header()]
