"""Drafts written the way coalitions write them: read in full, and nothing false reported.

The drafts are built by `drafts.py` (python-docx): titles naming the State, "Submitted by the
Coalition X (JS): Org A (City); …", "Key words: …", contact lines, Word numbering and typed
numbers, footnotes, bullets, lettered lists and tables, in English, French and Spanish.
"""

from __future__ import annotations

from datetime import UTC, datetime

import docx
import pytest

from uprhub.reports.document import Severity, SubmissionType
from uprhub.reports.docx_reader import read_docx
from uprhub.reports.front_matter import (
    find_session,
    find_state,
    parse_contact,
    parse_submitters,
)
from uprhub.reports.rules import default_rules
from uprhub.reports.validator import count_words, validate

from .drafts import DRAFTS, EXPECTED, Draft

RULES = default_rules(4)
NOW = datetime(2023, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_a_real_draft_is_read_in_full(name: str) -> None:
    expected = EXPECTED[name]
    doc = read_docx(DRAFTS[name](), filename=f"{name}.docx")
    cover = doc.cover
    assert cover.state_code == expected.state_code
    assert cover.session == expected.session
    assert (cover.submission_type == SubmissionType.JOINT) is expected.joint
    assert cover.main_submitter == expected.main_submitter
    assert [o.name for o in doc.organisations] == list(expected.organisations)
    if expected.cities:
        assert [o.city for o in doc.organisations] == list(expected.cities)
    assert cover.key_words == list(expected.key_words)
    assert (cover.contact_name, cover.contact_email) == (
        expected.contact_name,
        expected.contact_email,
    )
    paragraphs = doc.paragraphs()
    assert len(paragraphs) == expected.paragraphs
    assert [p.number for p in paragraphs] == list(range(1, expected.paragraphs + 1))
    assert sum(bool(p.typed_number) for p in paragraphs) == expected.typed_numbers
    # The cover block is no paragraph of the text, and no paragraph starts with its number.
    assert not any(p.text.startswith(("Key words", "Submitted", "1.", "1)")) for p in paragraphs)


@pytest.mark.parametrize("name", sorted(DRAFTS))
def test_no_false_error_or_warning_on_a_real_draft(name: str) -> None:
    report = validate(read_docx(DRAFTS[name]()), rules=RULES, now=NOW)
    wrong = [f"{f.rule}: {f.message}" for f in report.errors + report.warnings]
    assert wrong == []
    # Nor a tip asking for what the draft has: key words, an introduction, the language.
    assert {f.rule for f in report.tips} <= {"cover_information", "period_covered", "deadline"}
    assert not [f for f in report.findings if "Missing" in f.message]


def test_the_submitters_line_is_the_joint_list_and_counts_as_written() -> None:
    doc = read_docx(DRAFTS["us_joint_housing"]())
    assert doc.organisations_text.startswith("Submitted by the US Human Rights Network")
    report = validate(doc, rules=RULES, now=NOW)
    text_words = sum(
        count_words(s.title) + sum(count_words(p.text) for p in s.paragraphs) for s in doc.sections
    )
    # Word numbering adds nothing; the submitters' sentence is counted word for word.
    assert report.word_count_without_footnotes == text_words + count_words(doc.organisations_text)


def _same_draft(typed: bool) -> bytes:
    d = Draft()
    d.title("Submission on the United States of America", style=True)
    d.heading("Introduction")
    for text in ("First paragraph of the text.", "Second one.", "Third and last one."):
        if typed:
            d.typed(text)
        else:
            d.numbered(text)
    return d.save()


def test_typed_numbers_count_as_words_and_automatic_numbers_do_not() -> None:
    automatic = validate(read_docx(_same_draft(typed=False)), rules=RULES, now=NOW)
    typed = validate(read_docx(_same_draft(typed=True)), rules=RULES, now=NOW)
    # "Introduction" + 5 + 2 + 4 words; Word counts "1." "2." "3." when they are typed.
    assert automatic.word_count == 12
    assert typed.word_count == automatic.word_count + 3


def test_typed_lettered_items_and_bullets_belong_to_their_paragraph() -> None:
    doc = read_docx(DRAFTS["fr_individual_police"]())
    last = doc.paragraphs()[-1]
    assert last.text.startswith("We recommend that the Government of France:")
    assert "\n(a) create an independent body" in last.text
    assert "\n(b) ban the use" in last.text


def test_bold_typed_headings_start_sections() -> None:
    doc = read_docx(DRAFTS["us_individual_bold_headings"]())
    assert [(s.title, s.level) for s in doc.sections] == [
        ("I. Introduction", 1),
        ("II. Follow-up to the previous review", 1),
        ("A. Racial disparities", 2),
        ("III. Recommendations", 1),
    ]


def test_a_draft_that_lacks_the_cover_is_still_told() -> None:
    document = docx.Document()
    document.add_heading("Introduction", level=1)
    document.add_paragraph("1. The State has not implemented the recommendations.")
    from io import BytesIO

    buffer = BytesIO()
    document.save(buffer)
    report = validate(read_docx(buffer.getvalue()), rules=RULES, now=NOW)
    (cover,) = [f for f in report.warnings if f.rule == "cover_information"]
    assert "the State" in cover.message and "a contact person" in cover.message
    assert [f.rule for f in report.findings if f.rule == "key_words"] == ["key_words"]
    assert report.findings[0].severity in (Severity.ERROR, Severity.WARNING)


# --- the front matter, line by line -----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "main", "organisations", "joint"),
    [
        (
            "Submitted by the Coalition X (JS): Org A (Boston); Org B (Denver)",
            "Coalition X",
            [("Org A", "", "Boston"), ("Org B", "", "Denver")],
            True,
        ),
        (
            "Joint submission by: Org A (OA), Boston, USA; Org B (Denver)",
            "Org A",
            [("Org A", "OA", "Boston"), ("Org B", "", "Denver")],
            True,
        ),
        (
            "Submitted by Org A (Boston), Org B (Denver) and Org C (Austin)",
            "Org A",
            [("Org A", "", "Boston"), ("Org B", "", "Denver"), ("Org C", "", "Austin")],
            False,
        ),
        ("Submitted by The Advocates (TA)", "The Advocates", [("The Advocates", "TA", "")], False),
        (
            "Soumis par la Coalition Y (JS) : Org A (Lyon) ; Org B (Paris)",
            "Coalition Y",
            [("Org A", "", "Lyon"), ("Org B", "", "Paris")],
            True,
        ),
        ("Presentado por la Red Z (JS):", "Red Z", [], True),
    ],
)
def test_submitters(line: str, main: str, organisations: list, joint: bool) -> None:
    found = parse_submitters(line)
    assert found is not None
    assert found.main == main
    assert [(o.name, o.acronym, o.city) for o in found.organisations] == organisations
    assert found.joint is joint


def test_a_sentence_is_no_submitters_line() -> None:
    assert parse_submitters("The report was submitted by the government in 2024.") is None


def test_states_named_in_titles() -> None:
    assert find_state("Joint Submission on the United States of America") == (
        "USA",
        "United States",
    )
    assert find_state("Submission on the USA, UPR 53") == ("USA", "United States")
    assert find_state("Informe conjunto sobre México") == ("MEX", "Mexico")
    assert find_state("Contribution conjointe sur la France") == ("FRA", "France")
    # The State the submission is about, not the submitter's own country.
    assert find_state("Amnesty International UK: submission on Bahrain") == ("BHR", "Bahrain")
    assert find_state("Human Rights Watch (USA) submission on the Republic of Chad")[0] == "TCD"
    # "us" is a pronoun, not the United States.
    assert find_state("What the review means for us") is None


def test_sessions_named_in_title_blocks() -> None:
    assert find_session("4th cycle – 53rd session of the UPR Working Group, November 2026") == (
        53,
        "November 2026",
    )
    assert find_session("UPR 47 (November 2024)") == (47, "November 2024")
    assert find_session("45.º período de sesiones del Grupo de Trabajo (enero de 2024)") == (
        45,
        "enero de 2024",
    )
    assert find_session("43e session du Groupe de travail, mai 2023") == (43, "mai 2023")


def test_contacts() -> None:
    assert parse_contact("Jane Doe, jane@example.org") == ("Jane Doe", "jane@example.org")
    assert parse_contact("Jane Doe (E-mail: jane@example.org)") == ("Jane Doe", "jane@example.org")
    assert parse_contact("Jane Doe") == ("Jane Doe", "")


def test_a_title_in_a_heading_style_is_the_title_not_a_section() -> None:
    doc = read_docx(DRAFTS["fr_joint_french"]())
    assert doc.title == "Contribution conjointe sur la France – Examen périodique universel"
    assert [s.title for s in doc.sections] == [
        "Introduction",
        "Suivi de l'examen précédent",
        "Recommandations",
    ]
