"""Panels other apps add to the recommendation page and the State page.

This app sits on a lower floor than those that know more about a recommendation (follow-up's
links to earlier cycles, its published assessments), so it cannot import them: an app
registers a panel function in its `AppConfig.ready()` with `register_panel`, and the pages ask
every registered function for what to include.

A panel function takes the page's object (a `Recommendation` for ``"recommendation"``, a
`uprhub.reviews.models.State` for ``"state"``) and returns
``(template name, context)`` to include, or None to show nothing. It must be cheap (a few
queries, whatever the data's size): these pages are public.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

RECOMMENDATION = "recommendation"
STATE = "state"
KINDS = (RECOMMENDATION, STATE)

PanelFunction = Callable[[Any], tuple[str, dict[str, Any]] | None]

_PANELS: dict[str, list[PanelFunction]] = {kind: [] for kind in KINDS}


@dataclass(frozen=True)
class Panel:
    """What a page includes: ``{% include panel.template with panel=panel.context %}``."""

    template: str
    context: dict[str, Any]


def register_panel(kind: str, fn: PanelFunction) -> PanelFunction:
    """Add a panel to the pages of ``kind`` (once, however often `ready()` runs)."""
    if kind not in KINDS:
        raise ValueError(kind)
    if fn not in _PANELS[kind]:
        _PANELS[kind].append(fn)
    return fn


def unregister_panel(kind: str, fn: PanelFunction) -> None:
    if fn in _PANELS.get(kind, []):
        _PANELS[kind].remove(fn)


def panels(kind: str, obj: Any) -> list[Panel]:
    """Every registered function's panel for ``obj``, in registration order."""
    found = []
    for fn in _PANELS[kind]:
        answer = fn(obj)
        if answer is not None:
            template, context = answer
            found.append(Panel(template, context))
    return found
