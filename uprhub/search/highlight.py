"""Turn engine output marked with sentinel characters into safe HTML with ``<mark>``."""

from __future__ import annotations

import html
import re

from .backends import ELLIPSIS, LESS_THAN, START, STOP

_SENTINELS = re.compile(f"([{START}{STOP}])")
BROWSE_SNIPPET_CHARS = 600


def render(marked: str) -> str:
    """Escape everything, then turn sentinel pairs into ``<mark>`` tags.

    Unbalanced or nested sentinels (a stray private-use character in the data) still give
    well-formed HTML: a start inside a mark and a stop outside one are ignored.
    """
    out: list[str] = []
    is_open = False
    for part in _SENTINELS.split(marked):
        if part == START:
            if not is_open:
                out.append("<mark>")
                is_open = True
        elif part == STOP:
            if is_open:
                out.append("</mark>")
                is_open = False
        elif part:
            out.append(html.escape(part).replace(LESS_THAN, "&lt;"))
    if is_open:
        out.append("</mark>")
    return "".join(out)


def plain(text: str, limit: int = BROWSE_SNIPPET_CHARS) -> str:
    """The text as safe HTML without marks, shortened at a word boundary when very long."""
    text = _SENTINELS.sub("", text)
    if len(text) > limit:
        text = text[:limit].rsplit(None, 1)[0] + ELLIPSIS
    return html.escape(text)
