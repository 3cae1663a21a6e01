"""State names from CLDR (Babel) in Spanish and French; English keeps the UN names."""

from __future__ import annotations

from django.utils import translation

from uprhub.core.translations import read_rows
from uprhub.reviews.countries import state_name
from uprhub.reviews.models import State
from uprhub.reviews.names import STATES_CSV


def test_every_state_of_the_reference_data_has_a_spanish_and_a_french_name():
    rows = [row for row in read_rows(STATES_CSV) if row["iso3"]]
    assert len(rows) >= 195
    for row in rows:
        for language in ("es", "fr"):
            name = state_name(row["iso3"], "", language)
            assert name, (row["iso3"], language)


def test_names_come_from_cldr_with_the_uns_names_where_cldr_differs():
    assert state_name("FRA", "France", "es") == "Francia"
    assert state_name("USA", "United States", "es") == "Estados Unidos"
    assert state_name("USA", "United States", "fr") == "États-Unis"
    assert state_name("DEU", "Germany", "fr") == "Allemagne"
    assert state_name("CIV", "Côte d'Ivoire", "es") == "Côte d’Ivoire"
    assert state_name("PSE", "State of Palestine", "fr") == "État de Palestine"
    assert state_name("VAT", "Holy See", "es") == "Santa Sede"
    assert state_name("USA", "United States", "en") == "United States"


def test_groups_and_unmatched_names_keep_their_english_name():
    assert state_name("ACT-GROUP", "ACT Group", "es") == "ACT Group"
    assert state_name("UNKNOWN", "Unknown", "fr") == "Unknown"
    assert state_name("", "Somewhere", "fr") == "Somewhere"


def test_state_display_names_follow_the_active_language():
    usa = State(
        code="USA", iso3="USA", short_name="United States", un_name="United States of America"
    )
    with translation.override("en"):
        assert (usa.display_name, usa.display_formal_name) == (
            "United States",
            "United States of America",
        )
    with translation.override("es"):
        assert (usa.display_name, usa.display_formal_name) == ("Estados Unidos", "Estados Unidos")
    with translation.override("fr"):
        assert usa.display_name == "États-Unis"
    group = State(code="ACT-GROUP", iso3="", short_name="ACT Group", un_name="ACT Group")
    with translation.override("fr"):
        assert (group.display_name, group.display_formal_name) == ("ACT Group", "ACT Group")
