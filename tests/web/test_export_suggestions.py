"""Pending machine suggestions in the CSV and XLSX exports: own columns, never in the labels."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ThemeFactory
from tests.web.factories import WebData, make_web_data
from uprhub.recommendations.models import (
    Recommendation,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
)
from uprhub.search import exports

pytestmark = pytest.mark.django_db

CSV_URL = reverse("recommendations:export", kwargs={"fmt": "csv"})
XLSX_URL = reverse("recommendations:export", kwargs={"fmt": "xlsx"})
ISSUES = "suggested issues (machine)"
ACTION = "suggested action category (machine)"
VERSION = "suggestion model version (machine)"


def _issue(rec: Recommendation, theme, score: float, **kwargs) -> Suggestion:
    return Suggestion.objects.create(
        recommendation=rec,
        kind=SuggestionKind.ISSUE,
        theme=theme,
        score=score,
        model_version=kwargs.pop("model_version", "test-1"),
        **kwargs,
    )


def _action(rec: Recommendation, category: int, score: float, **kwargs) -> Suggestion:
    return Suggestion.objects.create(
        recommendation=rec,
        kind=SuggestionKind.ACTION,
        action_category=category,
        score=score,
        model_version=kwargs.pop("model_version", "test-1"),
        **kwargs,
    )


def _decided(status: str) -> dict:
    return {"status": status, "decided_at": timezone.now()}


@pytest.fixture
def suggested() -> tuple[WebData, Recommendation, Recommendation]:
    """Two unlabelled recommendations: one with pending suggestions, one whose suggestions
    were all decided (accepted or rejected)."""
    data = make_web_data(extra=2)
    pending, decided = data.recommendations[-2:]
    Recommendation.objects.filter(pk__in=[pending.pk, decided.pk]).update(action_category=None)
    dp = ThemeFactory(vocabulary=data.torture.vocabulary, name="Death penalty")
    _issue(pending, data.torture, 0.62)
    _issue(pending, data.women, 0.91)
    _action(pending, 4, 0.7, model_version="test-2")
    _issue(decided, data.women, 0.8, **_decided(SuggestionStatus.ACCEPTED))
    _issue(decided, dp, 0.7, **_decided(SuggestionStatus.REJECTED))
    _action(decided, 3, 0.6, **_decided(SuggestionStatus.REJECTED))
    return data, pending, decided


def _csv(client, params=None) -> dict[int, dict[str, str]]:
    body = b"".join(client.get(CSV_URL, params or {}).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == exports.header()
    return {int(row[0]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_header_has_separate_machine_columns():
    header = exports.header()
    assert header[-3:] == [ISSUES, ACTION, VERSION]
    # the human-label columns are still there, unchanged
    assert header[12:14] == ["action category", "themes"]


def test_csv_lists_pending_suggestions_in_their_own_columns(client, suggested):
    data, pending, _decided_rec = suggested
    row = _csv(client)[pending.pk]
    assert row[ISSUES] == "Women's rights; Torture and other CID"  # best first
    assert row[ACTION] == "4 — General action"
    assert row[VERSION] == "test-1; test-2"
    # never mixed into the human / imported labels
    assert row["action category"] == ""
    assert row["themes"] == ""


def test_decided_suggestions_and_none_leave_the_columns_blank(client, suggested):
    data, _pending, decided = suggested
    rows = _csv(client)
    for pk in (decided.pk, data.recommendations[4].pk):
        assert [rows[pk][c] for c in (ISSUES, ACTION, VERSION)] == ["", "", ""]
    # a labelled recommendation keeps its labels in the label columns
    assert rows[data.recommendations[4].pk]["themes"] == "UPR Info issues: Women's rights"


def test_xlsx_has_the_same_columns(client, suggested):
    data, pending, decided = suggested
    body = b"".join(client.get(XLSX_URL).streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == exports.header()
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert by_id[pending.pk][ISSUES] == "Women's rights; Torture and other CID"
    assert by_id[pending.pk][ACTION] == "4 — General action"
    assert by_id[pending.pk][VERSION] == "test-1; test-2"
    assert not by_id[decided.pk][ISSUES] and not by_id[decided.pk][ACTION]


def test_export_of_many_suggested_rows_reads_in_bulk(
    client, monkeypatch, django_assert_max_num_queries
):
    data = make_web_data(extra=40)  # 47 rows
    for rec in data.recommendations[7:]:
        _issue(rec, data.torture, 0.5)
        _issue(rec, data.women, 0.4)
        _action(rec, 2, 0.6)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    client.get(reverse("recommendations:explorer"))  # load the search layer's facet index
    # Five chunks of four queries, three name lookups, the search layer's and the export
    # cache's version checks: a fixed number per chunk however many suggestions the rows have.
    with django_assert_max_num_queries(5 * 4 + 3 + 2):
        rows = _csv(client)
    assert len(rows) == 47
    assert rows[data.recommendations[-1].pk][ACTION] == "2 — Continuing action"
