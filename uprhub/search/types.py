"""The search layer's public interface: what views, the API and the CLI pass in and get back.

Backends (SQLite FTS5, PostgreSQL full-text) live behind `uprhub.search.service.search`;
nothing outside this package should know which one runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from uprhub.recommendations.models import Recommendation

SORTS = ("relevance", "date", "-date", "paragraph")

# Facet names, in display order. Values are strings in URLs; ids for themes.
FACETS = (
    "state",  # State under review (code)
    "recommending_state",  # code
    "region",  # regional group of the State under review
    "recommending_region",  # regional group of a recommending State
    "cycle",
    "session",
    "position",
    "action_category",
    "theme",  # Theme id, any vocabulary
)


@dataclass(frozen=True)
class SearchQuery:
    """A user's query. Within one facet values are OR-ed; facets are AND-ed."""

    text: str = ""
    state: tuple[str, ...] = ()
    recommending_state: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    recommending_region: tuple[str, ...] = ()
    cycle: tuple[int, ...] = ()
    session: tuple[int, ...] = ()
    position: tuple[str, ...] = ()
    action_category: tuple[int, ...] = ()
    theme: tuple[int, ...] = ()
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    # Count and filter pending machine suggestions as if they were labels (theme, action).
    suggestions: bool = False
    # Search the words as typed: no synonyms, translations or theme labels (see synonyms.py).
    literal: bool = False

    def filters(self) -> dict[str, tuple]:
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    group: str = ""  # e.g. the vocabulary name for themes


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class Hit:
    id: int
    recommendation: Recommendation
    # Safe HTML: the text escaped, matched words wrapped in <mark>.
    snippet: str
    score: float | None = None


@dataclass
class Suggestion:
    """Another query to try when one finds nothing (the explorer, API and CLI show these)."""

    kind: str  # "spelling", "broader", "theme" or "filters"
    label: str  # what to show: the corrected or shorter text, or the theme's name
    query: SearchQuery
    count: int  # how many recommendations it finds


@dataclass
class SearchResult:
    query: SearchQuery
    total: int
    hits: list[Hit]
    facets: dict[str, Facet]
    took_ms: float = 0.0
    # Filled only when nothing matched: what to try instead.
    suggestions: list[Suggestion] = field(default_factory=list)
    # How the words were understood: the English terms searched besides them, and the themes
    # whose labelled recommendations were added (see synonyms.py).
    also_searched: tuple[str, ...] = ()
    themes_included: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.page_size))
