"""Importing the State's claims: all or nothing, errors with line numbers, re-import replaces."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.accounts.factories import make_user
from tests.factories import CycleFactory, ReviewFactory, SessionFactory
from tests.followup.scorecard_data import (
    forget_scorecards,  # noqa: F401  (a fixture)
    make_card,
)
from uprhub.followup import claims
from uprhub.followup.models import StateClaim
from uprhub.reviews.models import Document, DocumentKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_scorecards")]

SAMPLE = Path(__file__).resolve().parent / "data" / "claims_sample.csv"
HEADER = "recommendation,document,paragraph,claim,quote,date\n"
NATIONAL_REPORT = """1. This report was prepared by the Government after consultations.
2. In response to recommendations 26.2 and 26.4, a federal commission was established and
funded in the following year by the Congress.
3. The economy grew by 26.3 per cent over the period.
"""


def test_sample_file_imports_every_claim(tmp_path):
    card = make_card()
    StateClaim.objects.all().delete()
    done = claims.import_claims(SAMPLE, card.review, actor=None)
    assert (done.created, done.replaced, done.documents) == (3, 0, ["A/HRC/WG.6/50/USA/1"])
    found = {
        c.recommendation.paragraph: c for c in StateClaim.objects.select_related("recommendation")
    }
    assert found["26.1"].claim == "implemented" and str(found["26.1"].date) == "2025-08-01"
    assert "two lines in one quoted cell" in found["26.2"].quote
    assert found["26.3"].claim == "not_accepted" and found["26.3"].date is None


def test_one_bad_line_imports_nothing_and_every_error_has_its_line():
    card = make_card()
    before = set(StateClaim.objects.values_list("pk", flat=True))
    text = (
        HEADER
        + '26.1,A/HRC/WG.6/50/USA/1,12,implemented,"fine",2025-08-01\n'
        + '26.2,A/HRC/WG.6/50/USA/1,13,"described","a quote\nover two lines",2025-08-01\n'
        + "99.9,A/HRC/WG.6/50/USA/1,14,implemented,quote,2025-08-01\n"
        + "26.3,,15,boasted,,31/12/2025\n"
    )
    with pytest.raises(claims.ClaimsError) as raised:
        claims.import_claims(text, card.review, actor=None)
    errors = raised.value.errors
    assert errors[0] == "Line 5: no recommendation 99.9 in this review."
    assert errors[1].startswith("Line 6: the document is missing; unknown claim boasted")
    assert "the quote is missing" in errors[1] and "31/12/2025 is not YYYY-MM-DD" in errors[1]
    assert len(errors) == 2
    assert set(StateClaim.objects.values_list("pk", flat=True)) == before


def test_missing_columns_and_empty_files():
    card = make_card()
    with pytest.raises(claims.ClaimsError) as raised:
        claims.import_claims("recommendation,quote\n26.1,x\n", card.review, actor=None)
    assert raised.value.errors[0].startswith("Line 1: missing columns: document, paragraph")
    with pytest.raises(claims.ClaimsError, match="empty"):
        claims.import_claims("", card.review, actor=None)
    with pytest.raises(claims.ClaimsError, match="no claims"):
        claims.import_claims(HEADER, card.review, actor=None)


def test_reimport_replaces_only_that_documents_claims():
    card = make_card()  # holds one claim of A/HRC/WG.6/50/USA/1 on 26.1
    other = HEADER + "26.2,A/HRC/MT/2022/USA,3,in_progress,Mid-term report says so,2022-05-01\n"
    claims.import_claims(other, card.review, actor=None)
    done = claims.import_claims(SAMPLE, card.review, actor=None)
    assert done.replaced == 1
    assert StateClaim.objects.filter(document_symbol="A/HRC/WG.6/50/USA/1").count() == 3
    assert StateClaim.objects.filter(document_symbol="A/HRC/MT/2022/USA").count() == 1
    claims.import_claims(SAMPLE, card.review, actor=None)
    assert StateClaim.objects.count() == 4


def test_only_coordinators_and_the_command_line_import():
    card = make_card()
    with pytest.raises(PermissionDenied):
        claims.import_claims(SAMPLE, card.review, actor=make_user("member"))
    assert claims.import_claims(SAMPLE, card.review, actor=make_user("coordinator")).created == 3


def test_command_by_round_or_state_and_cycle():
    make_card()
    out = StringIO()
    call_command("followup", "claims", "import", str(SAMPLE), "--round", "midterm-2022", stdout=out)
    assert "3 claims imported from A/HRC/WG.6/50/USA/1 (1 replaced)." in out.getvalue()
    out = StringIO()
    call_command(
        "followup", "claims", "import", str(SAMPLE), "--state", "usa", "--cycle", "3", stdout=out
    )
    assert "(3 replaced)" in out.getvalue()


def test_command_errors(tmp_path):
    make_card()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "26.1,A/HRC/WG.6/50/USA/1,1,maybe,q,\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("followup", "claims", "import", str(bad), "--round", "midterm-2022")
    assert "Nothing was imported:\nLine 2: unknown claim maybe" in str(raised.value)
    with pytest.raises(CommandError, match="No assessment round named nope"):
        call_command("followup", "claims", "import", str(bad), "--round", "nope")
    with pytest.raises(CommandError, match="Name a round"):
        call_command("followup", "claims", "import", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "followup", "claims", "import", str(tmp_path / "missing.csv"), "--round", "midterm-2022"
        )


def test_national_report_imported_or_not_is_said(client):
    card = make_card()
    assert claims.claims_from_national_report(card.review, actor=None).document == ""
    assert "national report is not imported" in client.get("/followup/USA/3/").content.decode()
    fourth = ReviewFactory(
        state=card.review.state, session=SessionFactory(number=50, cycle=CycleFactory(number=4))
    )
    Document.objects.create(
        review=fourth,
        kind=DocumentKind.NATIONAL_REPORT,
        symbol="A/HRC/WG.6/50/USA/1",
        title="National report",
        text=NATIONAL_REPORT,
    )
    found = claims.claims_from_national_report(card.review, actor=None)
    assert (found.document, found.created) == ("A/HRC/WG.6/50/USA/1", 2)
    added = StateClaim.objects.filter(claim="described").order_by("recommendation__paragraph")
    assert [(c.recommendation.paragraph, c.paragraph) for c in added] == [
        ("26.2", "2"),
        ("26.4", "2"),
    ]
    assert added[0].quote.startswith("In response to recommendations 26.2 and 26.4")
    # Again: nothing new; the claim imported before from the same document stays.
    assert claims.claims_from_national_report(card.review, actor=None).created == 0
    assert StateClaim.objects.filter(quote="The State says it is done.").exists()
    page = client.get("/followup/USA/3/").content.decode()
    assert "national report (A/HRC/WG.6/50/USA/1) is imported" in page
    assert "In response to recommendations 26.2 and 26.4" in page


def test_command_from_report():
    make_card()
    with pytest.raises(CommandError, match="national report of the next review"):
        call_command("followup", "claims", "from-report", "--round", "midterm-2022")
