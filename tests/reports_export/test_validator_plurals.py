"""Counts in the validator's messages agree with their nouns: "1 word left", "2 words left"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from uprhub.reports.document import Organisation, Severity, SubmissionType
from uprhub.reports.rules import default_rules, override
from uprhub.reports.validator import report_to_text, validate

from .samples import cover, long_report, small_report

BEFORE = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
RULES = default_rules(4)


def _word_limit(offset: int, language: str = "en"):
    """The word-limit finding for a report `offset` words under (+) or over (-) its limit."""
    doc = long_report(500, footnotes=0)
    words = validate(doc, rules=RULES, now=BEFORE).word_count
    params = {**RULES.get("word_limit").params, "individual": words + offset}
    rules = override(RULES, "word_limit", params=params)
    with translation.override(language):
        report = validate(doc, rules=rules, now=BEFORE)
    (finding,) = [f for f in report.findings if f.rule == "word_limit"]
    return finding


@pytest.mark.parametrize(
    ("offset", "text"),
    [(1, "1 word left before the limit"), (2, "2 words left before the limit")],
)
def test_words_left(offset: int, text: str) -> None:
    finding = _word_limit(offset)
    assert finding.severity == Severity.TIP
    assert finding.message.startswith(text)


@pytest.mark.parametrize(
    ("offset", "text"), [(-1, "Cut at least 1 word."), (-2, "Cut at least 2 words.")]
)
def test_words_to_cut(offset: int, text: str) -> None:
    finding = _word_limit(offset)
    assert finding.severity == Severity.ERROR
    assert finding.message.endswith(text)


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("es", "Queda 1 palabra", "Quedan 2 palabras"),
        ("fr", "Il reste 1 mot", "Il reste 2 mots"),
    ],
)
def test_words_left_translated(language: str, one: str, two: str) -> None:
    assert _word_limit(1, language).message.startswith(one)
    assert _word_limit(2, language).message.startswith(two)


def test_only_one_organisation_in_a_joint_submission() -> None:
    doc = small_report()
    doc.cover = cover(submission_type=SubmissionType.JOINT, main_submitter="Rights Watch Xland")
    doc.organisations = [Organisation(name="Rights Watch Xland")]
    messages = [f.message for f in validate(doc, rules=RULES, now=BEFORE).findings]
    assert any("but only 1 is listed." in m for m in messages)


def test_summary_line_with_one_error() -> None:
    doc = long_report(500, footnotes=0)
    words = validate(doc, rules=RULES, now=BEFORE).word_count
    params = {**RULES.get("word_limit").params, "individual": words - 5}
    report = validate(doc, rules=override(RULES, "word_limit", params=params), now=BEFORE)
    assert len(report.errors) == 1
    text = report_to_text(report)
    assert "1 error, " in text and "1 errors" not in text
