"""Every theme, vocabulary and note of the bundled data has its Spanish and French version."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.importers.conftest import OHCHR_CSV, PLEDGES_CSV, SLOVENIA_DOCX, UPRINFO_CSV
from uprhub.core.translations import read_rows
from uprhub.recommendations.importers.lookups import VOCABULARIES
from uprhub.recommendations.importers.ohchr_csv import import_ohchr_csv
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.importers.text import SDG_TITLES, sdg_name
from uprhub.recommendations.importers.thematic_docx import import_thematic_docx
from uprhub.recommendations.models import Theme, Vocabulary
from uprhub.recommendations.theme_names import TRANSLATIONS_FILE, family, theme_name
from uprhub.reviews.notes import NOTES_FILE, translated_note

UPRHUB = Path(__file__).resolve().parents[2] / "uprhub"


def _uprinfo_issues() -> set[str]:
    """The issues exactly as the UPR Info importer splits them."""
    issues: set[str] = set()
    for path in (UPRINFO_CSV, PLEDGES_CSV):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                issues.update(n.strip() for n in (row.get("Issue") or "").split(",") if n.strip())
    return issues


def _translated(name: str, slug: str) -> dict[str, str]:
    return {language: theme_name(name, slug, language) for language in ("es", "fr")}


@pytest.mark.django_db
def test_every_theme_of_the_bundled_vocabularies_has_spanish_and_french():
    load_reference_data()
    import_ohchr_csv(OHCHR_CSV)
    import_thematic_docx(SLOVENIA_DOCX)
    themes = {
        (slug, name)
        for slug, name in Theme.objects.values_list("vocabulary__slug", "name")
        if slug != "uprinfo-issues"
    }
    themes |= {("uprinfo-issues", name) for name in _uprinfo_issues()}
    themes |= {("sdg", sdg_name(number)) for number in SDG_TITLES}
    assert len({s for s, _n in themes}) >= 5  # UPR Info, OHCHR themes 3 and 4, groups, SDGs
    assert len(themes) >= 54 + 17 + 43 + 24

    table = {(row["family"], row["name"]) for row in read_rows(TRANSLATIONS_FILE)}
    missing = sorted((slug, name) for slug, name in themes if (family(slug), name) not in table)
    assert missing == []
    for slug, name in themes:
        names = _translated(name, slug)
        assert all(names.values()), (slug, name)

    vocabularies = set(Vocabulary.objects.values_list("slug", "name")) | {
        (slug, defaults["name"]) for slug, defaults in VOCABULARIES.items()
    }
    for slug, english in vocabularies:
        vocabulary = Vocabulary(slug=slug, name=english)
        for language in ("es", "fr"):
            from django.utils import translation

            with translation.override(language):
                assert vocabulary.display_name != english, (slug, language)


def test_theme_names_use_the_uns_wording():
    assert _translated("Rights of the Child", "uprinfo-issues") == {
        "es": "Derechos del niño",
        "fr": "Droits de l'enfant",
    }
    assert _translated("Indigenous peoples", "ohchr-groups-cycle4") == {
        "es": "Pueblos indígenas",
        "fr": "Peuples autochtones",
    }
    assert _translated("SDG 16 – Peace, justice and strong institutions", "sdg") == {
        "es": "ODS 16 – Paz, justicia e instituciones sólidas",
        "fr": "ODD 16 – Paix, justice et institutions efficaces",
    }
    # A theme nobody translated keeps its English name; English is the stored name.
    assert theme_name("A theme from a new source", "uprinfo-issues", "es") == (
        "A theme from a new source"
    )
    assert theme_name("Death penalty", "uprinfo-issues", "en") == "Death penalty"


def test_translation_file_has_one_row_per_name_and_no_empty_cell():
    seen: set[tuple[str, str]] = set()
    for row in read_rows(TRANSLATIONS_FILE):
        key = (row["family"], row["name"].casefold())
        assert key not in seen, key
        seen.add(key)
        assert row["es"] and row["fr"], key
        if "{cycle}" in row["name"]:
            assert "{cycle}" in row["es"] and "{cycle}" in row["fr"], key


def _bundled_notes() -> set[str]:
    notes = {row["note"] for row in read_rows(UPRHUB / "reviews" / "data" / "reviews.csv")}
    notes |= {row["note"] for row in read_rows(UPRHUB / "calendar" / "data" / "session_states.csv")}
    notes |= {
        row["source_note"] for row in read_rows(UPRHUB / "calendar" / "data" / "deadlines.csv")
    }
    return {note for note in notes if note}


def test_every_note_of_the_bundled_data_has_spanish_and_french():
    notes = _bundled_notes()
    assert len(notes) >= 20
    translated = {row["en"] for row in read_rows(NOTES_FILE)}
    assert sorted(notes - translated) == []
    for note in notes:
        for language in ("es", "fr"):
            assert translated_note(note, language) != note, (note, language)


def test_a_note_nobody_translated_is_shown_as_written():
    assert translated_note("Checked with the mission on 3 May", "fr") == (
        "Checked with the mission on 3 May"
    )
    assert translated_note("3rd cycle", "fr") == "3e cycle"
    assert translated_note("3rd cycle", "en") == "3rd cycle"
