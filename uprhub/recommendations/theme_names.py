"""Theme and vocabulary names in the visitor's language.

Themes are stored with their English names, as UPR Info and OHCHR publish them, so searching,
facet values and exports do not depend on the language. ``data/theme_translations.csv`` holds
their Spanish and French names (one row per English name and vocabulary family); pages look
them up when they show a name. A theme nobody translated yet keeps its English name.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from uprhub.core.translations import DATA_LANGUAGES, current_language, read_rows

TRANSLATIONS_FILE = Path(__file__).resolve().parent / "data" / "theme_translations.csv"
_CYCLE = re.compile(r"^(?P<family>[a-z-]+?)-cycle(?P<cycle>\d+)$")


def family(slug: str) -> str:
    """The vocabulary family of a slug: "ohchr-themes" for "ohchr-themes-cycle4"."""
    match = _CYCLE.match(slug)
    return match.group("family") if match else slug


@cache
def _table() -> dict[tuple[str, str], dict[str, str]]:
    return {
        (row["family"], row["name"].casefold()): {
            language: row[language] for language in DATA_LANGUAGES if row[language]
        }
        for row in read_rows(TRANSLATIONS_FILE)
    }


@cache
def _by_name() -> dict[str, dict[str, str]]:
    """Any family's translation of a name, for a theme of a vocabulary not listed."""
    found: dict[str, dict[str, str]] = {}
    for (kind, name), names in _table().items():
        if kind != "vocabulary":
            found.setdefault(name, names)
    return found


def theme_name(name: str, vocabulary_slug: str = "", language: str | None = None) -> str:
    """The name of a theme in ``language`` (default: the active one), else ``name``."""
    language = language or current_language()
    if language not in DATA_LANGUAGES:
        return name
    key = name.strip().casefold()
    names = _table().get((family(vocabulary_slug), key)) or _by_name().get(key) or {}
    return names.get(language, name)


def vocabulary_name(slug: str, english: str, language: str | None = None) -> str:
    """The name of a vocabulary in ``language`` (default: the active one), else ``english``."""
    language = language or current_language()
    if language not in DATA_LANGUAGES:
        return english
    match = _CYCLE.match(slug)
    key = f"{match.group('family')}-cycle{{cycle}}" if match else slug
    names = _table().get(("vocabulary", key.casefold()), {})
    if language not in names:
        return english
    return names[language].replace("{cycle}", match.group("cycle") if match else "")
