"""One parser for search requests: the explorer page, its exports, the API and `uprhub search`.

Every caller turns what it received (URL parameters, or the CLI's options written as the same
parameter names) into a ``SearchQuery`` here, under **one set of limits** (``LIMITS``), so the
same input gives the same query, and the same error, whichever way it came in.

What is refused (``SearchRequestError``, one message per field):

* text longer than ``MAX_TEXT`` characters;
* a page or page size that is not a whole number, a page size outside 1..``MAX_PAGE_SIZE``;
* a facet value of the wrong kind (``cycle=three``, ``position=maybe``, an unknown regional
  group), more than ``MAX_VALUES_PER_FACET`` values in one facet;
* an unknown sort.

What is forgiven, because links and forms produce it honestly:

* empty values (an empty text box or select sends ``state=``) and repeated values;
* letter case of State codes, regional groups and positions;
* a page below 1 or above ``MAX_PAGE`` is brought into range: pages are positions in a list
  that changes, and the explorer already shows the last page for a link past the end.

``query_from_params`` in ``service`` is the same parser in forgiving mode (``strict=False``):
what would be refused is dropped instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.utils.translation import gettext as _

from uprhub.recommendations.models import Position
from uprhub.reviews.models import RegionalGroup

from .types import FACETS, SORTS, SearchQuery

Source = Literal["web", "api", "cli"]

#: The limits every source shares (README "Search limits" and the API docs quote them).
MAX_TEXT = 1000  # characters of search text
MAX_PAGE = 100_000  # pages past this are shown as this one
MAX_PAGE_SIZE = 200  # results per page (web, API) or per run (CLI --limit)
MAX_VALUES_PER_FACET = 200  # values of one facet in one request (there are 193 UN member States)
MAX_CODE = 40  # characters of a State code
LIMITS = {
    "max_text": MAX_TEXT,
    "max_page": MAX_PAGE,
    "max_page_size": MAX_PAGE_SIZE,
    "max_facet_values": MAX_VALUES_PER_FACET,
}

_INT_FACETS = {"cycle": 10_000, "session": 10_000, "action_category": 10_000, "theme": 10**12}
_TRUE = {"1", "true", "on", "yes"}
_REGIONS = {r.casefold(): r for r in RegionalGroup.values}
_POSITIONS = {p.casefold(): p for p in Position.values}

#: How each source names a field in its error messages.
_CLI_NAMES = {
    "q": "QUERY",
    "page_size": "--limit",
    **{
        name: "--" + name.replace("_", "-")
        for name in (*FACETS, "sort", "page", "suggestions", "literal")
    },
}


class SearchRequestError(ValueError):
    """Invalid search parameters: ``errors`` maps each field (URL parameter name) to messages."""

    def __init__(self, errors: dict[str, list[str]], source: Source) -> None:
        self.errors = errors
        self.source = source
        super().__init__("; ".join(self.messages()))

    def field_name(self, field: str) -> str:
        """The field as this source's user wrote it (``--limit`` on the command line)."""
        return _CLI_NAMES.get(field, field) if self.source == "cli" else field

    def messages(self) -> list[str]:
        return [
            f"{self.field_name(field)}: {message}"
            for field, messages in self.errors.items()
            for message in messages
        ]


def _getlist(params: Mapping[str, Any], key: str) -> list[str]:
    getlist = getattr(params, "getlist", None)
    values = getlist(key) if getlist is not None else params.get(key, [])
    if isinstance(values, str | int):
        values = [values]
    return [str(v) for v in values if v is not None]


def _whole_number(value: str) -> int | None:
    value = value.strip()
    if not value.isascii() or not value.lstrip("-").isdigit() or len(value) > 30:
        return None
    return int(value)


def _facet_value(name: str, value: str) -> str | int | None:
    """The cleaned value, or None when it is not a value of this facet."""
    if name in _INT_FACETS:
        number = _whole_number(value)
        return number if number is not None and 1 <= number <= _INT_FACETS[name] else None
    if name in ("state", "recommending_state"):
        code = value.strip().upper()
        return code if len(code) <= MAX_CODE else None
    if name in ("region", "recommending_region"):
        return _REGIONS.get(value.strip().casefold())
    return _POSITIONS.get(value.strip().casefold())  # position


def _facet_message(name: str) -> str:
    if name in _INT_FACETS:
        return _("Must be a whole number from 1 to %(max)s.") % {"max": _INT_FACETS[name]}
    if name in ("state", "recommending_state"):
        return _("A State code has at most %(max)s characters.") % {"max": MAX_CODE}
    if name in ("region", "recommending_region"):
        return _("Must be one of: %(values)s.") % {"values": ", ".join(RegionalGroup.values)}
    return _("Must be one of: %(values)s.") % {"values": ", ".join(Position.values)}


def parse_search_request(
    params: Mapping[str, Any], *, source: Source, strict: bool = True
) -> SearchQuery:
    """The ``SearchQuery`` these parameters ask for.

    ``params`` is a ``QueryDict`` or a plain mapping of parameter names (``q``, the facet names,
    ``sort``, ``page``, ``page_size``, ``suggestions``, ``literal``) to a string or a list of
    strings.
    Unknown parameters are ignored. Raises ``SearchRequestError`` listing every invalid field;
    with ``strict=False`` invalid values are dropped (and too long text cut) instead.
    """
    errors: dict[str, list[str]] = {}

    text = " ".join(_getlist(params, "q")).strip()
    if len(text) > MAX_TEXT:
        errors["q"] = [
            _("The search text has %(length)s characters; at most %(max)s are allowed.")
            % {"length": len(text), "max": MAX_TEXT}
        ]
        text = text[:MAX_TEXT].strip()

    filters: dict[str, tuple] = {}
    for name in FACETS:
        cleaned: list[str | int] = []
        invalid = False
        for raw in _getlist(params, name):
            if not raw.strip():
                continue
            value = _facet_value(name, raw)
            if value is None:
                invalid = True
            elif value not in cleaned:
                cleaned.append(value)
        if invalid:
            errors.setdefault(name, []).append(_facet_message(name))
        if len(cleaned) > MAX_VALUES_PER_FACET:
            errors.setdefault(name, []).append(
                _("At most %(max)s values can be chosen.") % {"max": MAX_VALUES_PER_FACET}
            )
            cleaned = cleaned[:MAX_VALUES_PER_FACET]
        filters[name] = tuple(cleaned)

    sort = "relevance"
    sorts = [s.strip() for s in _getlist(params, "sort") if s.strip()]
    if sorts and sorts[0] in SORTS:
        sort = sorts[0]
    elif sorts:
        errors["sort"] = [_("Must be one of: %(values)s.") % {"values": ", ".join(SORTS)}]

    page = 1
    pages = [p for p in _getlist(params, "page") if p.strip()][:1]
    if pages:
        number = _whole_number(pages[0])
        if number is None:
            errors["page"] = [_("Must be a whole number.")]
        else:
            page = max(1, min(number, MAX_PAGE))

    page_size = SearchQuery.page_size
    sizes = [p for p in _getlist(params, "page_size") if p.strip()][:1]
    if sizes:
        number = _whole_number(sizes[0])
        if number is None or not 1 <= number <= MAX_PAGE_SIZE:
            errors["page_size"] = [
                _("Must be a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
            ]
            if number is not None and number > MAX_PAGE_SIZE:
                page_size = MAX_PAGE_SIZE  # used only when not strict
        else:
            page_size = number

    suggestions = any(v.strip().casefold() in _TRUE for v in _getlist(params, "suggestions"))
    # The words exactly as typed: no synonyms, translations or theme labels.
    literal = any(v.strip().casefold() in _TRUE for v in _getlist(params, "literal"))

    if errors and strict:
        raise SearchRequestError(errors, source)
    return SearchQuery(
        text=text,
        **filters,
        sort=sort,
        page=page,
        page_size=page_size,
        suggestions=suggestions,
        literal=literal,
    )
