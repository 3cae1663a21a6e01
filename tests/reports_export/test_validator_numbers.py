"""Word counts in the validator's messages are grouped the active language's way, the same on
the web, in the CLI text and in JSON messages; JSON's numeric fields stay numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import number_format

from uprhub.reports.document import SubmissionType
from uprhub.reports.export.docx import build_docx
from uprhub.reports.rules import default_rules
from uprhub.reports.validator import format_count, report_to_dict, report_to_text, validate

from .samples import long_report

BEFORE = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
RULES = default_rules(4)


def _word_limit_message(words: int, language: str = "en") -> tuple[str, int]:
    with translation.override(language):
        report = validate(long_report(words), rules=RULES, now=BEFORE)
    (finding,) = [f for f in report.findings if f.rule == "word_limit"]
    return finding.message, report.word_count


def test_format_count_follows_the_language() -> None:
    assert format_count(14783) == "14,783"
    assert format_count(815) == "815"
    with translation.override("fr"):
        assert format_count(14783) == number_format(14783, force_grouping=True) != "14783"
        assert "," not in format_count(14783)


def test_english_messages_group_thousands() -> None:
    message, total = _word_limit_message(3000)
    assert "limit for an individual submission is 2,815 words" in message
    assert f"{total:,} words with footnotes" in message


def test_french_messages_group_thousands_the_french_way() -> None:
    message, total = _word_limit_message(3000, "fr")
    with translation.override("fr"):
        grouped_limit = number_format(2815, force_grouping=True)
        grouped_total = number_format(total, force_grouping=True)
    assert grouped_limit in message and grouped_total in message
    assert "2,815" not in message and "2815" not in message


def test_text_and_json_agree_and_json_keeps_numbers() -> None:
    report = validate(
        long_report(3000, submission_type=SubmissionType.INDIVIDUAL), rules=RULES, now=BEFORE
    )
    text = report_to_text(report)
    assert f"Words: {report.word_count:,} with footnotes" in text
    assert "limit 2,815." in text
    payload = report_to_dict(report)
    assert payload["word_count"] == report.word_count and isinstance(payload["word_count"], int)
    assert payload["limit"] == 2815
    (finding,) = [f for f in payload["errors"] if f["rule"] == "word_limit"]
    assert "2,815 words" in finding["message"]


def test_no_limit_shows_a_dash() -> None:
    report = validate(long_report(100), rules=[], now=BEFORE)
    assert "limit —." in report_to_text(report)


@pytest.mark.django_db
def test_the_cli_prints_grouped_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long.docx"
    path.write_bytes(build_docx(long_report(4000)))
    with pytest.raises(SystemExit):  # over the limit: exit status 1, findings printed
        call_command("report", "validate", str(path))
    table = capsys.readouterr().out
    assert "limit 2,815." in table and "Cut at least" in table
    with pytest.raises(SystemExit):
        call_command("report", "validate", str(path), "--format", "json")
    payload = json.loads(capsys.readouterr().out)
    assert isinstance(payload["word_count"], int) and payload["word_count"] > 4000
    assert f"{payload['word_count']:,} words with footnotes" in table
