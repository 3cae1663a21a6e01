"""The submission package: what the ZIP holds and what the cover note says."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from io import BytesIO

import pytest

from uprhub.reports.document import SubmissionType
from uprhub.reports.export import package as package_module
from uprhub.reports.export.package import (
    build_package,
    package_filename,
    subject_line,
)
from uprhub.reports.export.pdf import PdfUnavailable
from uprhub.reports.rules import default_rules
from uprhub.reports.validator import validate

from . import samples

NOW = datetime(2024, 3, 29, 20, 59, tzinfo=UTC)


@pytest.fixture
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(doc):
        raise PdfUnavailable("PDF export is not available on this server.")

    monkeypatch.setattr(package_module, "build_pdf", unavailable)


@pytest.fixture
def fake_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_module, "build_pdf", lambda doc: b"%PDF-1.7 fake")


def test_subject_line() -> None:
    doc = samples.small_report()
    assert subject_line(doc) == (
        "UPR stakeholder submission – Xland – UPR 47 (November 2024) – Rights Watch Xland"
    )
    joint = samples.small_report(submission_type=SubmissionType.JOINT, main_submitter="A\nB")
    assert subject_line(joint).endswith("– A B (joint)")
    blank = samples.small_report(state_name="", state_code="", main_submitter="")
    assert "[State]" in subject_line(blank) and "[main submitter]" in subject_line(blank)


def test_package_contents(fake_pdf: None) -> None:
    doc = samples.small_report()
    report = validate(doc, rules=default_rules(4), now=NOW)
    data = build_package(doc, report, now=NOW)
    archive = zipfile.ZipFile(BytesIO(data))
    assert sorted(archive.namelist()) == [
        "cover-note.txt",
        "report.docx",
        "report.pdf",
        "validation.json",
        "validation.txt",
    ]
    assert archive.read("report.docx")[:2] == b"PK"
    note = archive.read("cover-note.txt").decode("utf-8")
    assert subject_line(doc) in note
    assert "uprdoc.ohchr.org" in note and "23:59 Geneva time" in note
    assert "Contact person: Ana Example" in note
    assert "Time left: 10 days and 1 hour" in note
    payload = json.loads(archive.read("validation.json"))
    assert payload["word_count"] == report.word_count
    assert payload["limit"] == 2815
    assert {"errors", "warnings", "tips", "generated_at"} <= set(payload)
    assert "Words:" in archive.read("validation.txt").decode("utf-8")


@pytest.mark.django_db
def test_package_without_pdf_says_why(no_pdf: None) -> None:
    doc = samples.small_report(submission_type=SubmissionType.JOINT)
    data = build_package(doc, now=NOW)  # validates itself (rules from the CSV or table)
    archive = zipfile.ZipFile(BytesIO(data))
    assert "report.pdf" not in archive.namelist()
    note = archive.read("cover-note.txt").decode("utf-8")
    assert "report.pdf is missing: PDF export is not available" in note
    assert "Submitting organisations:" in note
    with pytest.raises(PdfUnavailable):
        build_package(doc, now=NOW, require_pdf=True)


def test_member_names_never_come_from_user_text(fake_pdf: None) -> None:
    doc = samples.small_report(state_name="../../etc", main_submitter="x/../../y")
    doc.title = "../evil"
    data = build_package(doc, validate(doc, rules=default_rules(4), now=NOW), now=NOW)
    assert all("/" not in name for name in zipfile.ZipFile(BytesIO(data)).namelist())
    assert package_filename(doc) == "upr-submission-xld-upr-47.zip"
    doc.cover.state_code = ""
    assert package_filename(doc) == "upr-submission-etc-upr-47.zip"


def test_package_with_real_pdf() -> None:
    doc = samples.small_report()
    try:
        data = build_package(
            doc, validate(doc, rules=default_rules(4), now=NOW), now=NOW, require_pdf=True
        )
    except PdfUnavailable as exc:
        pytest.skip(exc.message)
    assert zipfile.ZipFile(BytesIO(data)).read("report.pdf").startswith(b"%PDF")
