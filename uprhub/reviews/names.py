"""Reference data for State names: normalisation, records and the alias index.

Pure Python (no Django imports) so that importers, management commands and tests can use it
without a configured project.

The data lives in ``data/states.csv`` next to this module: one row for each of the 193 UN member
States, the two observer States (Holy See, State of Palestine) and the non-State recommenders
seen in real data (``ACT-GROUP``, ``UNKNOWN``).
"""

from __future__ import annotations

import csv
import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
STATES_CSV = DATA_DIR / "states.csv"

STATE_KINDS = ("member", "observer", "group", "unknown")
REGIONAL_GROUPS = ("Africa", "Asia-Pacific", "EEG", "GRULAC", "WEOG")

#: UPR Info's regional-group labels (columns ``To-Rgrp`` / ``From-Rgrp``) → UN regional group.
UPRINFO_REGION_NAMES: dict[str, str] = {
    "Africa": "Africa",
    "Asia": "Asia-Pacific",
    "EEG": "EEG",
    "GRULAC": "GRULAC",
    "WEOG": "WEOG",
}

# Typographic apostrophes, primes and accents used as apostrophes in UN documents and exports.
_APOSTROPHES = str.maketrans(
    {
        "\u2019": "'",  # ’ right single quotation mark
        "\u2018": "'",  # ‘ left single quotation mark
        "\u201b": "'",  # ‛ single high-reversed-9 quotation mark
        "\u00b4": "'",  # ´ acute accent
        "`": "'",
        "\u02bc": "'",  # ʼ modifier letter apostrophe
        "\u02bb": "'",  # ʻ modifier letter turned comma
        "\u2032": "'",  # ′ prime
        "\uff07": "'",  # ＇ fullwidth apostrophe
    }
)
_SPACED_APOSTROPHE = re.compile(r"\s*'\s*")
_SAINT = re.compile(r"\bst\b\.?\s*")
_NON_WORD = re.compile(r"[^a-z0-9\s]+")
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Return the matching key for a State name.

    Rules, in order:

    1. HTML-unescape (``&#40;Unknown&#41;`` → ``(Unknown)``, ``&amp;`` → ``&``).
    2. Unicode NFKD and drop combining marks (``Türkiye`` → ``Turkiye``, ``Côte`` → ``Cote``);
       NFKD also folds no-break spaces and other compatibility characters.
    3. Map typographic apostrophes (’ ‘ ´ ` ʼ …) to ``'``, then delete every apostrophe together
       with the spaces around it (``People ’ s`` → ``Peoples``, ``d'Ivoire`` → ``dIvoire``), so
       ``People's``, ``Peoples`` and ``People ’ s`` share a key.
    4. ``&`` → ``and``.
    5. Lowercase; the word ``St`` / ``St.`` → ``saint``.
    6. Every other character that is not a letter, digit or space (parentheses, commas, hyphens,
       dots, dashes) becomes a space: ``Guinea-Bissau`` = ``Guinea Bissau``,
       ``Korea, Republic of`` → ``korea republic of``.
    7. Collapse whitespace, strip, drop a leading ``the``.
    """
    text = html.unescape(name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_APOSTROPHES)
    text = _SPACED_APOSTROPHE.sub("", text)
    text = text.replace("&", " and ")
    text = text.casefold()
    text = _SAINT.sub("saint ", text)
    text = _NON_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True)
class StateRecord:
    """One row of ``states.csv``."""

    code: str
    iso3: str
    un_name: str
    short_name: str
    regional_group: str
    kind: str
    aliases: tuple[str, ...] = ()

    @property
    def is_state(self) -> bool:
        return self.kind in ("member", "observer")

    def names(self) -> tuple[str, ...]:
        """Every name that identifies this record (UN name, short name, aliases, ISO3)."""
        candidates = (self.un_name, self.short_name, *self.aliases, self.iso3)
        return tuple(dict.fromkeys(n for n in candidates if n))


def load_state_records(path: Path | None = None) -> list[StateRecord]:
    """Read ``states.csv`` (default: ``data/states.csv`` next to this module)."""
    csv_path = path if path is not None else STATES_CSV
    records: list[StateRecord] = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
            records.append(
                StateRecord(
                    code=row["code"].strip(),
                    iso3=(row.get("iso3") or "").strip(),
                    un_name=row["un_name"].strip(),
                    short_name=(row.get("short_name") or "").strip(),
                    regional_group=(row.get("regional_group") or "").strip(),
                    kind=row["kind"].strip(),
                    aliases=aliases,
                )
            )
    return records


def build_alias_index(records: Iterable[StateRecord]) -> dict[str, str]:
    """Map ``normalise_name`` of every name of every record to the record's code.

    Raises ``ValueError`` if two different codes claim the same key.
    """
    index: dict[str, str] = {}
    for record in records:
        for name in record.names():
            key = normalise_name(name)
            if not key:
                continue
            existing = index.get(key)
            if existing is not None and existing != record.code:
                raise ValueError(
                    f"State alias collision: {name!r} (key {key!r}) claimed by "
                    f"{existing} and {record.code}"
                )
            index[key] = record.code
    return index


def resolve_state_code(name: str, index: Mapping[str, str]) -> str | None:
    """Return the code for ``name`` using an index from ``build_alias_index``, or ``None``."""
    key = normalise_name(name)
    if not key:
        return None
    return index.get(key)
