"""First-run messages and the calendar loader's summary are translated; English is unchanged."""

from __future__ import annotations

import pytest
from django.utils import translation

from uprhub.calendar.loader import LoadSummary
from uprhub.site import bootstrap


def _first_run_messages(monkeypatch, tmp_path, settings, language: str) -> list[str]:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(bootstrap, "pending_migrations", lambda: True)
    monkeypatch.setattr(bootstrap, "call_command", lambda *args, **kwargs: None)
    said: list[str] = []
    with translation.override(language):
        bootstrap.prepare_database(load_data=False, say=said.append)
    return said


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Preparing the database (applying migrations)…"),
        ("es", "Preparando la base de datos (aplicando las migraciones)…"),
        ("fr", "Préparation de la base de données (application des migrations)…"),
    ],
)
def test_preparing_message(
    db, monkeypatch, tmp_path, settings, language: str, expected: str
) -> None:
    # `db`: preparing the database also looks for interrupted imports to undo.
    assert _first_run_messages(monkeypatch, tmp_path, settings, language) == [expected]


def test_calendar_summary_english_is_unchanged() -> None:
    summary = LoadSummary(1, 2, 3, 4, ["deadlines.csv line 2: bad date '2027-02-31'"])
    assert str(summary) == (
        "calendar: 1 reviews created, 2 updated; 3 deadlines created, 4 updated; "
        "1 lines skipped (first: deadlines.csv line 2: bad date '2027-02-31')"
    )


def test_calendar_summary_in_french() -> None:
    with translation.override("fr"):
        text = str(LoadSummary(1, 0, 2, 0, ["a", "b"]))
    assert text == (
        "calendrier : 1 examens créés, 0 mis à jour ; 2 dates limites créées, 0 mises à jour ; "
        "2 lignes ignorées (la première : a)"
    )


@pytest.mark.parametrize("language", ["es", "fr"])
def test_first_run_strings_are_in_the_catalogues(language: str) -> None:
    texts = [
        "Loading the bundled UPR data (first start only, about a minute)…",
        "%(file)s line %(line)s: %(problem)s",
        "no date and none can be estimated",
    ]
    with translation.override(language):
        assert all(translation.gettext(text) != text for text in texts)
        rules = translation.ngettext(
            "%(n)s submission rule added.", "%(n)s submission rules added.", 2
        )
    assert rules != "%(n)s submission rules added."
