"""First start: everything bundled loads, is detected as loaded, and loads again as a no-op."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.importers.conftest import table_counts
from uprhub.recommendations.importers.bundled import (
    BUNDLED_DIR,
    is_loaded,
    load_bundled_data,
)
from uprhub.recommendations.importers.documents import import_un_document
from uprhub.recommendations.models import Recommendation, Source, VoluntaryPledge
from uprhub.reviews.models import Document, DocumentKind, Review

pytestmark = pytest.mark.django_db


def test_load_bundled_data_twice():
    assert not is_loaded()
    out = io.StringIO()
    call_command("load_bundled_data", stdout=out, stderr=io.StringIO())
    assert is_loaded()
    text = out.getvalue()
    for line in (
        "recommendations-sessions-01-17.csv: 33,082 rows read; 32,082 created",
        "voluntary-pledges-sessions-01-17.csv: 832 rows read; 830 created",
        "usa-cycle3-recommendations.csv: 347 rows read; 347 created",
        "UPR48_Slovenia_thematic_list.docx: 254 rows read; 254 created",
        "A_HRC_WG.6_50_USA_2.txt: 1 rows read; 1 created",
    ):
        assert line in text
    assert Recommendation.objects.count() == 32_082 + 347 + 254
    assert VoluntaryPledge.objects.count() == 830
    assert Source.objects.count() == 4
    usa50 = Review.objects.get(state__code="USA", session=50)
    assert set(usa50.documents.values_list("symbol", flat=True)) == {
        "A/HRC/WG.6/50/USA/2",
        "A/HRC/WG.6/50/USA/3",
    }

    before = table_counts()
    summaries = load_bundled_data()
    assert [(s.created, s.updated) for s in summaries] == [(0, 0)] * len(summaries)
    assert table_counts() == before


def test_un_documents(reference):
    path = BUNDLED_DIR / "ohchr" / "A_HRC_WG.6_50_USA_3.txt"
    summary = import_un_document(path)
    assert summary.created == 1
    document = Document.objects.get(symbol="A/HRC/WG.6/50/USA/3")
    assert document.kind == DocumentKind.STAKEHOLDER_SUMMARY
    assert document.published == dt.date(2025, 9, 1)
    assert document.title == "Summary of stakeholders' submissions on the United States of America"
    assert document.review.state.code == "USA" and document.review.session_id == 50
    assert "155 stakeholders' submissions" in document.text
    assert document.source_name == path.name
    compilation = import_un_document(BUNDLED_DIR / "ohchr" / "A_HRC_WG.6_50_USA_2.txt")
    assert compilation.created == 1
    doc2 = Document.objects.get(symbol="A/HRC/WG.6/50/USA/2")
    assert (doc2.kind, doc2.published) == (DocumentKind.COMPILATION, dt.date(2025, 8, 28))
    assert doc2.title.startswith("Compilation of information prepared by the Office")
    assert import_un_document(path).unchanged == 1
