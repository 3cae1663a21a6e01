"""State names in the visitor's language, from the Unicode CLDR (through Babel).

CLDR is the maintained source every major platform uses for country names; it is keyed by
ISO 3166-1 alpha-2 territory codes, which its own alias table maps from our alpha-3 codes.
English keeps the UN names of ``states.csv``. A State CLDR does not know, a group of States or
an unmatched name keeps its English name. ``OVERRIDES`` holds the few names where CLDR's
everyday name is not the one the UN uses for a UPR participant.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.core import get_global

from uprhub.core.translations import DATA_LANGUAGES, current_language

#: ISO3 → language → name, where CLDR's name is not the UN's (CLDR: "Palestinian
#: Territories", "Vatican City"; the UPR reviews the State of Palestine, an observer State, and
#: the Holy See speaks at reviews under that name).
OVERRIDES: dict[str, dict[str, str]] = {
    "PSE": {"es": "Estado de Palestina", "fr": "État de Palestine"},
    "VAT": {"es": "Santa Sede", "fr": "Saint-Siège"},
}


@cache
def _territory(iso3: str) -> str | None:
    aliases = get_global("territory_aliases").get(iso3.upper())
    return aliases[0] if aliases else None


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


def state_name(iso3: str, english: str, language: str | None = None) -> str:
    """The name of the State ``iso3`` in ``language`` (default: the active one).

    ``english`` is returned for English, for an empty code and for any State CLDR lacks.
    """
    language = language or current_language()
    # Groups of States and unmatched names have longer slugs as codes, never three letters.
    if language not in DATA_LANGUAGES or len(iso3) != 3 or not iso3.isalpha():
        return english
    override = OVERRIDES.get(iso3.upper(), {}).get(language)
    if override:
        return override
    territory = _territory(iso3)
    if territory is None:
        return english
    return _territories(language).get(territory, english)
