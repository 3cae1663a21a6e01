"""``uprhub report validate``: JSON through call_command, exit statuses through a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from uprhub.reports.document import SubmissionType
from uprhub.reports.export.docx import build_docx

from . import samples

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def good_docx(tmp_path: Path) -> Path:
    path = tmp_path / "good.docx"
    path.write_bytes(build_docx(samples.long_report(1500)))
    return path


@pytest.fixture
def long_docx(tmp_path: Path) -> Path:
    path = tmp_path / "long.docx"
    path.write_bytes(build_docx(samples.long_report(4000)))
    return path


@pytest.mark.django_db
def test_json_output(good_docx: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("report", "validate", str(good_docx), "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert {
        "word_count",
        "word_count_without_footnotes",
        "limit",
        "errors",
        "warnings",
        "tips",
        "paragraphs",
    } <= set(payload)
    assert payload["limit"] == 2815
    assert payload["paragraphs"] == 15
    assert payload["word_count"] > payload["word_count_without_footnotes"] > 1400
    assert payload["errors"] == []
    for finding in payload["warnings"] + payload["tips"]:
        assert set(finding) == {"rule", "severity", "message", "paragraph", "source_note"}


@pytest.mark.django_db
def test_type_and_cycle_options(long_docx: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command(
            "report",
            "validate",
            str(long_docx),
            "--format",
            "json",
            "--type",
            "joint",
            "--cycle",
            "3",
        )
    payload = json.loads(capsys.readouterr().out)
    assert payload["limit"] == 5630 and payload["type"] == SubmissionType.JOINT
    # The draft names one organisation only: a joint submission needs them all.
    assert [e["rule"] for e in payload["errors"]] == ["joint_organisations"]
    with pytest.raises(SystemExit) as info:
        call_command("report", "validate", str(long_docx), "--format", "json")
    assert info.value.code == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["errors"][0]["rule"] == "word_limit"


@pytest.mark.django_db
def test_table_output(good_docx: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("report", "validate", str(good_docx))
    out = capsys.readouterr().out
    assert "15 paragraphs" in out and "limit 2,815" in out  # grouped, as on the web


@pytest.mark.django_db
def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_text("not a word file")
    with pytest.raises(CommandError) as info:
        call_command("report", "validate", str(bad))
    assert info.value.returncode == 2
    assert "not a Word document" in str(info.value)


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        # A fresh, empty SQLite file: the command falls back to the bundled rules.
        "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3",
        "UPRHUB_DATA_DIR": str(tmp_path),
        "UPRHUB_AUTOLOAD": "0",
        "DJANGO_SETTINGS_MODULE": "uprhub.settings",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "report", "validate", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_exit_statuses(tmp_path: Path, good_docx: Path, long_docx: Path) -> None:
    ok = run(str(good_docx), "--format", "json", tmp_path=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["errors"] == []

    errors = run(str(long_docx), "--format", "json", tmp_path=tmp_path)
    assert errors.returncode == 1
    assert json.loads(errors.stdout)["errors"]

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7 ...")
    unreadable = run(str(pdf), tmp_path=tmp_path)
    assert unreadable.returncode == 2
    assert "This is a PDF file" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr
