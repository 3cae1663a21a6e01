"""Pure text helpers shared by the importers (no database access).

They decide when two rows are "the same recommendation" (:func:`text_key`), how published
positions map to ours, and how the recurring cell formats of UN files are read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable

from uprhub.recommendations.models import Position

# Typographic quotes and apostrophes → straight ones, so "People’s" and "People's" match.
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The comparison form of a recommendation: NFKC, straight quotes, single spaces, casefolded,
    without trailing full stops or spaces (exports differ in exactly these ways)."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SPACES.sub(" ", text).strip().casefold()
    return text.rstrip(". ")


def text_key(text: str) -> str:
    """``Recommendation.text_key``: SHA-1 (hex) of :func:`normalise_text`."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()  # noqa: S324 - an id


def clean_text(text: str) -> str:
    """The text as stored: trimmed, inner runs of spaces kept as published except line breaks."""
    return _SPACES.sub(" ", text).strip()


# --- positions ----------------------------------------------------------------------------------

_POSITIONS: dict[str, str] = {
    "supported": Position.SUPPORTED,
    "accepted": Position.SUPPORTED,
    "noted": Position.NOTED,
    # UPR Info's 1st-cycle data: a "rejected" recommendation is what the UN now calls noted.
    "rejected": Position.NOTED,
    "supported noted": Position.SUPPORTED_IN_PART,
    "supported in part": Position.SUPPORTED_IN_PART,
    "partially supported": Position.SUPPORTED_IN_PART,
    "partially accepted": Position.SUPPORTED_IN_PART,
    "accepted in part": Position.SUPPORTED_IN_PART,
    "pending": Position.PENDING,
    "general response": Position.OTHER,
    "no response": Position.OTHER,
    "no clear position": Position.OTHER,
}
_POSITION_SEPARATORS = re.compile(r"[\s_/\-]+")


def map_position(published: str) -> str | None:
    """Our :class:`Position` for a published response, or ``None`` when it is not one we know.

    Case, spaces, underscores and slashes do not matter: "supported_noted", "Supported/Noted" and
    "supported noted" are all *supported in part*.
    """
    key = _POSITION_SEPARATORS.sub(" ", published.strip().casefold()).strip()
    return _POSITIONS.get(key)


def known_positions() -> str:
    return ", ".join(sorted({k.capitalize() for k in _POSITIONS}))


# --- sessions and cycles ------------------------------------------------------------------------

MAX_SESSION = 100


def cycle_for_session(number: int) -> int:
    """The UPR cycle of a Working Group session (1–12, 13–26, 27–40, then the 4th cycle)."""
    if number <= 12:
        return 1
    if number <= 26:
        return 2
    if number <= 40:
        return 3
    return 4


_FIRST_INT = re.compile(r"\d+")


def parse_session(value: object) -> int | None:
    """A session number from "36", 36, 36.0, "UPR 36" or "36th session"; ``None`` if absent or
    implausible."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = int(value)
        if number != value:
            return None
    else:
        text = str(value).strip()
        if not text:
            return None
        if text.isdigit():
            number = int(text)
        else:
            match = re.fullmatch(
                r"(?:UPR|WG|session)?\s*(\d+)\s*(?:st|nd|rd|th)?(?:\s+session)?",
                text,
                flags=re.IGNORECASE,
            )
            if not match:
                return None
            number = int(match.group(1))
    if not 1 <= number <= MAX_SESSION:
        return None
    return number


# --- paragraphs and recommending States in UN texts --------------------------------------------

_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.\d{1,4})\.?\s+(.*)$", re.DOTALL)


def split_paragraph(text: str) -> tuple[str, str]:
    """("140.7", "Ratify …") from "140.7 Ratify …"; ("", text) when there is no number."""
    match = _PARAGRAPH.match(text)
    if not match:
        return "", text.strip()
    return match.group(1), match.group(2).strip()


def _last_group(text: str) -> tuple[int, str] | None:
    """Start index and content of the balanced parenthesised group that ends ``text``."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                return i, text[i + 1 : -1]
    return None


def split_recommenders(
    text: str, is_state: Callable[[str], bool], *, trust_last: bool = True
) -> tuple[str, list[str]]:
    """Split "Ratify X (Maldives) (Portugal);" into ("Ratify X", ["Maldives", "Portugal"]).

    The last parenthesised group is always the recommender (UN style); earlier trailing groups
    are recommenders only when ``is_state`` recognises them, so "(CEDAW) (Spain)" keeps "(CEDAW)"
    in the text (with ``trust_last=False`` the last group must be recognised too: for texts
    whose recommenders are given elsewhere). A group may list several States separated by
    commas (2nd-cycle style, "(Portugal, Slovakia)"). Recommenders of merged sentences inside
    the text ("… (Egypt); continue …") are returned too but left in the text, which they
    punctuate.
    """
    body = text.strip().rstrip(";.,").rstrip()
    groups: list[str] = []
    first = True
    while True:
        found = _last_group(body)
        if found is None:
            break
        start, content = found
        names = split_state_list(content, is_state)
        if (not first or not trust_last) and not all(is_state(n) for n in names):
            break
        groups[:0] = names
        body = body[:start].rstrip()
        first = False
    inner: list[str] = []
    for match in re.finditer(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*;", body):
        names = split_state_list(match.group(1), is_state)
        if names and all(is_state(n) for n in names):
            inner.extend(names)
    names = list(dict.fromkeys([*inner, *groups]))
    return body.rstrip(";,").rstrip(), names


def split_state_list(content: str, is_state: Callable[[str], bool]) -> list[str]:
    """One group's names: the whole group if it is a State, else its comma-separated parts
    (rejoining parts that only make a State together)."""
    content = content.strip()
    if not content:
        return []
    if is_state(content) or "," not in content:
        return [content]
    parts = [p.strip() for p in content.split(",") if p.strip()]
    names: list[str] = []
    i = 0
    while i < len(parts):
        # Prefer the longest run of parts that names a State ("Korea, Republic of").
        for j in range(len(parts), i, -1):
            candidate = ", ".join(parts[i:j])
            if j - i == 1 or is_state(candidate):
                names.append(candidate)
                i = j
                break
    return names


_BULLET = re.compile(r"^[-\u2022\u2013\u2014]\s*")


def dash_list(value: object) -> list[str]:
    """Items of a multi-value cell: "- Spain\\n- France" → ["Spain", "France"]."""
    if value is None:
        return []
    items = []
    for line in str(value).splitlines():
        item = _BULLET.sub("", line.strip(), count=1).strip()
        if item:
            items.append(item)
    return items


# --- Sustainable Development Goals (goal level) -------------------------------------------------

SDG_TITLES: dict[int, str] = {
    1: "No poverty",
    2: "Zero hunger",
    3: "Good health and well-being",
    4: "Quality education",
    5: "Gender equality",
    6: "Clean water and sanitation",
    7: "Affordable and clean energy",
    8: "Decent work and economic growth",
    9: "Industry, innovation and infrastructure",
    10: "Reduced inequalities",
    11: "Sustainable cities and communities",
    12: "Responsible consumption and production",
    13: "Climate action",
    14: "Life below water",
    15: "Life on land",
    16: "Peace, justice and strong institutions",
    17: "Partnerships for the goals",
}
_SDG_NUMBER = re.compile(r"^(?:SDG|Goal)?\s*(\d{1,2})\b", re.IGNORECASE)


def sdg_number(label: str) -> int | None:
    """17 from "- 17 - PARTNERSHIPS FOR THE GOALS", "SDG 17" or "Goal 17: …"."""
    match = _SDG_NUMBER.match(label.strip().lstrip("-").strip())
    if not match:
        return None
    number = int(match.group(1))
    return number if number in SDG_TITLES else None


def sdg_name(number: int) -> str:
    """The theme name of a goal: "SDG 5 – Gender equality" (the same whatever the source wrote)."""
    return f"SDG {number} \u2013 {SDG_TITLES[number]}"


_CODED_THEME = re.compile(r"^([A-H]\d{1,2})\s+(.+)$")


def split_theme_code(label: str) -> tuple[str, str]:
    """("A12", "Acceptance of international norms") for a 2nd-cycle coded theme;
    ("", label) otherwise."""
    label = clean_text(label)
    match = _CODED_THEME.match(label)
    if match:
        return match.group(1), match.group(2).strip()
    return "", label
