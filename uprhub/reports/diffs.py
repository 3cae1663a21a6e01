"""Word-level differences between two versions of a paragraph, for the history page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same" | "added" | "removed"
    text: str


def diff_words(old: str, new: str) -> list[Piece]:
    """`new` compared with `old`, word by word (white space kept so the text reads normally)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return [p for p in pieces if p.text]


def diff_lists(old: list[str], new: list[str]) -> list[Piece]:
    """Footnotes compared as whole lines."""
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces += [Piece("same", x) for x in old[i1:i2]]
            continue
        if tag in ("delete", "replace"):
            pieces += [Piece("removed", x) for x in old[i1:i2]]
        if tag in ("insert", "replace"):
            pieces += [Piece("added", x) for x in new[j1:j2]]
    return pieces
