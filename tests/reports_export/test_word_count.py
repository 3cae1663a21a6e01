"""The word-counting rule (see `uprhub.reports.validator`), edge case by edge case."""

from __future__ import annotations

import pytest

from uprhub.reports.document import Footnote, Organisation, Paragraph, Section, SubmissionType
from uprhub.reports.validator import count_words, word_counts

from .samples import long_report, small_report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("one two three", 3),
        ("follow-up counter-terrorism", 2),  # hyphenated words are one word
        ("2,815 words in 2024", 4),  # numbers count
        ("see https://example.org/a-b/c?d=1&e=2 now", 3),  # a URL is one word
        ("write to ana@example.org today", 4),
        ("and/or", 1),
        ("one — two – three - four", 4),  # lone dashes are no words
        ("• item", 1),
        ("“Quoted,” he said.", 3),
        ("l'État d’Xland", 2),
        ("no\u00a0break\u202fspaces", 3),  # every Unicode space separates
        ("zero\u200bwidth soft\u00adhyphen", 2),  # ignored characters join, as in Word
        ("中华人民共和国", 7),  # each CJK character is a word
        ("UPR 中文 review", 4),
        ("الاستعراض الدوري الشامل", 3),
        ("Универсальный периодический обзор", 3),
        ("emoji 🎉 alone", 2),
        ("A/HRC/WG.6/47/XLD/1", 1),
        ("26.1", 1),
        ("\x0bvertical\x0ctab", 2),
    ],
)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected


def test_counts_with_and_without_footnotes() -> None:
    doc = small_report()
    counts = word_counts(doc)
    notes = sum(count_words(n.text) for p in doc.paragraphs() for n in p.footnotes)
    assert counts.footnotes == notes > 0
    assert counts.total == counts.text + notes
    # Headings count, the title and cover do not.
    body = sum(count_words(s.title) for s in doc.sections) + sum(
        count_words(p.text) for p in doc.paragraphs()
    )
    assert counts.text == body


def test_joint_submission_counts_the_organisations_list() -> None:
    doc = small_report(submission_type=SubmissionType.JOINT)
    individual = word_counts(small_report()).text
    doc.organisations = [Organisation("Alpha Group", "AG", "Geneva", "Switzerland")]
    # "Submitting organisations" + "Alpha Group (AG), Geneva, Switzerland"
    assert word_counts(doc).text == individual + 2 + 5


def test_empty_paragraphs_and_sections() -> None:
    doc = small_report()
    doc.sections.append(Section(title="", paragraphs=[Paragraph("", footnotes=[Footnote("")])]))
    assert word_counts(doc) == word_counts(small_report())


def test_long_report_is_about_six_thousand_words() -> None:
    counts = word_counts(long_report(6000))
    assert 5900 <= counts.text <= 6100
    assert counts.footnotes > 0
