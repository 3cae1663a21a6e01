"""The pure text rules behind merging, positions and UN cell formats (no database)."""

from __future__ import annotations

import pytest

from uprhub.recommendations.importers.text import (
    cycle_for_session,
    dash_list,
    map_position,
    normalise_text,
    parse_session,
    sdg_name,
    sdg_number,
    split_paragraph,
    split_recommenders,
    split_theme_code,
    text_key,
)
from uprhub.recommendations.models import Position

STATES = {"Maldives", "Portugal", "Spain", "France", "Korea, Republic of", "Egypt", "Peru"}


def is_state(name: str) -> bool:
    return name in STATES


def test_same_recommendation_whatever_the_typography():
    a = "Ratify the Convention on the Rights of the Child’s Optional Protocol.  "
    b = "ratify the  convention on the rights of the child's optional protocol"
    assert normalise_text(a) == normalise_text(b)
    assert text_key(a) == text_key(b)
    assert len(text_key(a)) == 40
    assert text_key("Ratify CEDAW") != text_key("Ratify CAT")


@pytest.mark.parametrize(
    ("published", "position"),
    [
        ("Accepted", Position.SUPPORTED),
        ("Supported", Position.SUPPORTED),
        ("Noted", Position.NOTED),
        ("Rejected", Position.NOTED),
        ("supported_noted", Position.SUPPORTED_IN_PART),
        ("Supported/Noted", Position.SUPPORTED_IN_PART),
        ("Partially supported", Position.SUPPORTED_IN_PART),
        ("General Response", Position.OTHER),
        ("No Response", Position.OTHER),
        ("Pending", Position.PENDING),
        ("Maybe", None),
        ("", None),
    ],
)
def test_positions(published, position):
    assert map_position(published) == position


def test_sessions_and_cycles():
    assert [parse_session(v) for v in ("9", 36, 36.0, "UPR 22", "48th Session", " 5 ")] == [
        9,
        36,
        36,
        22,
        48,
        5,
    ]
    assert [parse_session(v) for v in ("IX", "", None, 0, 36.5, "999", True)] == [None] * 7
    assert [cycle_for_session(n) for n in (1, 12, 13, 26, 27, 40, 41, 54)] == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]


def test_paragraphs_and_recommenders():
    assert split_paragraph("140.7 Ratify the OP (Maldives);") == (
        "140.7",
        "Ratify the OP (Maldives);",
    )
    assert split_paragraph("Ratify it") == ("", "Ratify it")
    assert split_recommenders("Ratify the OP (Maldives) (Portugal);", is_state) == (
        "Ratify the OP",
        ["Maldives", "Portugal"],
    )
    assert split_recommenders("Ratify CEDAW (No. 29) (Spain);", is_state) == (
        "Ratify CEDAW (No. 29)",
        ["Spain"],
    )
    assert split_recommenders("Ratify it (Spain, France, Korea, Republic of);", is_state) == (
        "Ratify it",
        ["Spain", "France", "Korea, Republic of"],
    )
    text, names = split_recommenders("Do A (Egypt); do B (Peru);", is_state)
    assert (text, names) == ("Do A (Egypt); do B", ["Egypt", "Peru"])
    # When the recommenders are given elsewhere, only a recognised State is taken off the end.
    assert split_recommenders("Respect the OP (CEDAW)", is_state, trust_last=False) == (
        "Respect the OP (CEDAW)",
        [],
    )


def test_cells_themes_and_goals():
    assert dash_list("- Spain\n- France\n\n") == ["Spain", "France"]
    assert dash_list("Spain") == ["Spain"]
    assert dash_list(None) == []
    assert split_theme_code("A12 Acceptance of international norms") == (
        "A12",
        "Acceptance of international norms",
    )
    assert split_theme_code("Right to life") == ("", "Right to life")
    assert sdg_number("- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS") == 16
    assert sdg_number("SDG 5") == 5
    assert sdg_number("Goal 18") is None
    assert sdg_name(5) == "SDG 5 – Gender equality"
