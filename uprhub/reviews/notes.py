"""Notes that come with the bundled data (review notes, sources of calendar dates) in the
visitor's language. The stored note stays English; a note nobody translated (a coordinator's
own words) is shown as written."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from uprhub.core.translations import DATA_LANGUAGES, current_language, read_rows

NOTES_FILE = Path(__file__).resolve().parent / "data" / "note_translations.csv"


@cache
def _notes() -> dict[str, dict[str, str]]:
    return {
        row["en"]: {language: row[language] for language in DATA_LANGUAGES if row[language]}
        for row in read_rows(NOTES_FILE)
    }


def translated_note(note: str, language: str | None = None) -> str:
    """``note`` in ``language`` (default: the active one) when a translation is bundled."""
    if not note:
        return note
    language = language or current_language()
    return _notes().get(note.strip(), {}).get(language, note)
