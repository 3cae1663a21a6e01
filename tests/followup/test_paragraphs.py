"""The paragraph parser on the two bundled UN documents and on small snippets of their quirks."""

from __future__ import annotations

from functools import cache

import pytest

from uprhub.followup.paragraphs import DocParagraph, parse, strip_footnotes
from uprhub.recommendations.importers.bundled import bundled_path


@cache
def _document(n: int) -> dict[int, DocParagraph]:
    text = bundled_path(f"ohchr/A_HRC_WG.6_50_USA_{n}.txt").read_text(encoding="utf-8")
    return {p.number: p for p in parse(text)}


@pytest.mark.parametrize(("n", "count"), [(2, 71), (3, 98)])
def test_every_paragraph_once_in_order(n, count):
    numbers = list(_document(n))
    assert numbers == list(range(1, count + 1))
    lines = [p.start_line for p in _document(n).values()]
    assert lines == sorted(lines)


def test_compilation_paragraph_continues_after_a_page_break():
    paragraph = _document(2)[5]
    assert paragraph.text.startswith("Several United Nations experts were alarmed")
    assert "withdrawal from key international agreements and institutions" in paragraph.text
    assert paragraph.text.endswith("the review of its participation in the United Nations.")
    assert "GE.25" not in paragraph.text and "A/HRC/WG.6" not in paragraph.text
    assert paragraph.start_line == 18


def test_compilation_page_number_and_header_between_two_halves():
    paragraph = _document(2)[13]
    assert paragraph.text == (
        "The Committee on the Elimination of Racial Discrimination echoed the recommendation of "
        "the Working Group of Experts on People of African Descent to pass bill HR40 on the "
        "Commission to Study and Develop Reparation Proposals for African Americans."
    )


def test_compilation_sub_headings_are_not_paragraphs():
    document = _document(2)
    # "2. Right to life, liberty and security of person, and freedom from torture" sits between
    # paragraphs 16 and 17; "1. Women" between 52 and 53.
    assert document[16].text.endswith("including by investigating and prosecuting criminal acts.")
    assert document[17].text.startswith("The United Nations High Commissioner for Human Rights")
    assert "Women" not in document[52].text.split()[-3:]
    assert all(not p.text.startswith(("Right to", "Women", "Children")) for p in document.values())


def test_compilation_death_penalty_paragraph():
    paragraph = _document(2)[20]
    assert paragraph.text.startswith(
        "The same Committee recommended establishing a de jure moratorium on the death penalty"
    )
    assert "inhuman and degrading treatment. Racial discrimination and bias" in paragraph.text
    assert paragraph.text.endswith("concerns in many death penalty cases.")


def test_compilation_footnotes_stripped_names_kept():
    document = _document(2)
    assert document[3].text.endswith("International Covenant on Civil and Political Rights.")
    assert "(the Paris Principles). The Special Rapporteur" in document[9].text
    assert "in 2021, 2022, 2023 and 2024." in document[7].text
    assert "section 702 of the Foreign Intelligence Surveillance Act" in document[37].text


def test_compilation_stops_at_the_notes():
    last = _document(2)[71]
    assert last.text.endswith("address the gaps in the healthcare system in Puerto Rico.")
    assert "Notes" not in last.text and "CERD/C/USA" not in last.text


def test_summary_paragraphs_starting_mid_line():
    document = _document(3)
    assert document[2].text.endswith("and the Vienna Convention on the Law of Treaties.")
    assert document[3].text == (
        "Four submissions recommended ratifying several ILO conventions, the Treaty of the "
        "Non-Proliferation of Nuclear Weapons, and the Arms Trade Treaty."
    )
    assert document[4].text == (
        "IPLSA recommended the USA to remove its reservations to Article 20 of ICCPR."
    )
    assert document[5].text.startswith("Several submissions noted that, in February 2025")
    # ... and continues on the next page, after the "issued without formal editing" note.
    assert document[5].text.endswith("abilities to function and provide humanitarian aid.")
    assert "formal editing" not in document[5].text
    assert {document[n].start_line for n in (2, 3, 4, 5)} == {16}


def test_summary_footnotes_glued_on_both_sides():
    document = _document(3)
    assert "including the CEDAW; CRC; ICESCR; OP-ICESCR; OP-CAT; ICPPED;" in document[2].text
    assert "related policies. ERF recommended the USA" in document[15].text  # "47ERF"
    assert "Hate Act (H.R. 7648)" in document[12].text
    assert "JS61 and Elizka Relief Foundation" in document[7].text


def test_summary_unnumbered_heading_after_a_page_break():
    document = _document(3)
    assert document[14].text.endswith("past and present racial discrimination.")
    assert "Right to life" not in document[14].text
    assert document[15].text.startswith("DHF expressed concern about Executive Order 14164")


def test_summary_last_paragraph():
    last = _document(3)[98]
    assert last.text.startswith("JS55 reported that a change in the birthright citizenship law")
    assert last.text.endswith("parents with temporary or undocumented status.")


def test_snippet_with_every_quirk():
    text = "\n".join(
        [
            "A/HRC/WG.6/99/XYZ/2",
            "I. Background",
            "1. The present report was prepared pursuant to resolutions.1",
            "A. Equality",
            "1. Right to life",  # a numbered heading: not paragraph 2
            "2. The Committee recommended abolishing the death penalty.2 3. It also recommended a",
            "GE.30-12345 (E) 010130 010130",
            "",
            "A/HRC/WG.6/99/XYZ/2",
            "moratorium on executions. 3 The Committee regretted that 2 States still used it.",
            "Right to health",
            "4. The Committee noted that 15 men were detained.4",
            "Notes",
            "5. Not a paragraph.",
        ]
    )
    paragraphs = parse(text)
    assert [(p.number, p.start_line) for p in paragraphs] == [(1, 3), (2, 6), (3, 6), (4, 12)]
    assert paragraphs[1].text == "The Committee recommended abolishing the death penalty."
    assert paragraphs[2].text == (
        "It also recommended a moratorium on executions. The Committee regretted that 2 States "
        "still used it."
    )
    assert paragraphs[3].text == "The Committee noted that 15 men were detained."


def test_a_number_inside_a_sentence_is_not_a_new_paragraph():
    text = "1. The first paragraph says that\n2. of the cases were closed.\n2. The second one."
    assert [(p.number, p.text) for p in parse(text)] == [
        (1, "The first paragraph says that 2. of the cases were closed."),
        (2, "The second one."),
    ]


@pytest.mark.parametrize(
    ("text", "last", "expected"),
    [
        ("the Covenant.3", 2, ("the Covenant.", 3)),
        ("the Covenant.3", 3, ("the Covenant.3", 3)),  # not after 3: not a footnote
        ("JS15 informed", 14, ("JS15 informed", 14)),
        ("submissions2 for", 1, ("submissions for", 2)),
        ("policies. 47ERF recommended", 46, ("policies. ERF recommended", 47)),
        ("poverty 157 and", 156, ("poverty and", 157)),
        ("elimination of 70 climate", 195, ("elimination of 70 climate", 195)),
    ],
)
def test_strip_footnotes(text, last, expected):
    assert strip_footnotes(text, last) == expected
