"""One search-request parser: the explorer, the API and `uprhub search` read a request the
same way, under the same limits, and refuse bad input with the same messages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.urls import reverse

from tests.factories import RecommendationFactory, ReviewFactory, SessionFactory, StateFactory
from uprhub.search import service
from uprhub.search.request import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_TEXT,
    MAX_VALUES_PER_FACET,
    SearchRequestError,
    parse_search_request,
)
from uprhub.search.types import SearchQuery

EXPLORER = reverse("recommendations:explorer")
API = "/api/recommendations"


def _cli_query(params: dict[str, str | list[str]]) -> list[str]:
    """The `uprhub search` arguments that say what these URL parameters say."""
    args: list[str] = []
    for key, value in params.items():
        values = value if isinstance(value, list) else [value]
        if key == "q":
            args.extend(values)
            continue
        option = "--limit" if key == "page_size" else "--" + key.replace("_", "-")
        for item in values:
            args.extend([option, item])
    return args


def _cli(params: dict[str, str | list[str]]) -> str:
    out = io.StringIO()
    call_command("search", *_cli_query(params), "--format", "json", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("source", ["web", "api", "cli"])
def test_every_source_reads_the_same_query(source):
    params = {
        "q": "  death penalty ",
        "state": ["usa", "USA", "fra"],
        "cycle": ["3", ""],
        "position": "Noted",
        "region": "weog",
        "sort": "-date",
        "page": "2",
        "page_size": "50",
    }
    query = parse_search_request(params, source=source)
    assert query == SearchQuery(
        text="death penalty",
        state=("USA", "FRA"),
        cycle=(3,),
        position=("noted",),
        region=("WEOG",),
        sort="-date",
        page=2,
        page_size=50,
    )
    # A QueryDict (what views get) reads exactly like a dict of lists (what the CLI builds).
    querydict = QueryDict(mutable=True)
    for key, value in params.items():
        querydict.setlist(key, value if isinstance(value, list) else [value])
    assert parse_search_request(querydict, source=source) == query


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * (MAX_TEXT + 1)}, "q"),
        ({"page": "two"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": str(MAX_PAGE_SIZE + 1)}, "page_size"),
        ({"cycle": "three"}, "cycle"),
        ({"position": "maybe"}, "position"),
        ({"region": "Atlantis"}, "region"),
        ({"sort": "nonsense"}, "sort"),
        ({"state": [f"S{i}" for i in range(MAX_VALUES_PER_FACET + 1)]}, "state"),
    ],
)
def test_invalid_fields_are_refused_with_a_message_per_field(params, field):
    errors = {}
    for source in ("web", "api", "cli"):
        with pytest.raises(SearchRequestError) as caught:
            parse_search_request(params, source=source)
        assert list(caught.value.errors) == [field]
        errors[source] = caught.value.errors
    assert errors["web"] == errors["api"] == errors["cli"]


def test_pages_out_of_range_are_brought_into_range_everywhere():
    for source in ("web", "api", "cli"):
        assert parse_search_request({"page": "-4"}, source=source).page == 1
        assert parse_search_request({"page": "9" * 25}, source=source).page == MAX_PAGE


def test_the_cli_names_fields_as_its_options():
    with pytest.raises(SearchRequestError) as caught:
        parse_search_request({"page_size": "0", "recommending_state": "X" * 41}, source="cli")
    messages = caught.value.messages()
    assert messages[0].startswith("--recommending-state: ")
    assert messages[1].startswith("--limit: ")


@pytest.fixture
def data(db):
    service.clear_caches()
    usa = StateFactory(code="USA", short_name="United States")
    review = ReviewFactory(state=usa, session=SessionFactory(number=36, cycle__number=3))
    return [
        RecommendationFactory(review=review, text=f"Abolish the death penalty, step {n}")
        for n in range(3)
    ]


def test_same_request_same_results_through_web_api_and_cli(client, data):
    params = {"q": "death penalty", "state": "usa", "sort": "paragraph", "page_size": "2"}
    web = client.get(EXPLORER, params)
    api = client.get(API, params).json()
    cli = json.loads(_cli(params))
    web_ids = [hit.id for hit in web.context["result"].hits]
    assert len(web_ids) == 2
    assert web_ids == [r["id"] for r in api["results"]] == [r["id"] for r in cli["results"]]
    assert web.context["result"].total == api["total"] == cli["total"] == 3


@pytest.mark.parametrize(
    "params",
    [
        {"q": "torture " * 200},  # 1,600 characters
        {"q": "torture", "page": "last"},
        {"q": "torture", "page_size": "5000"},
        {"q": "torture", "cycle": "three"},
    ],
)
def test_bad_request_is_refused_the_same_way_through_web_api_and_cli(client, data, params):
    with pytest.raises(SearchRequestError) as caught:
        parse_search_request(params, source="web")
    [(field, [message])] = caught.value.errors.items()

    web = client.get(EXPLORER, params)
    assert web.status_code == 400
    assert f"{field}: {message}" in web.content.decode()

    api = client.get(API, params)
    assert api.status_code == 422
    assert api.json()["detail"] == [
        {"type": "value_error", "loc": ["query", field], "msg": message}
    ]

    with pytest.raises(CommandError) as cli_error:
        _cli(params)
    assert message in str(cli_error.value)

    export = client.get(reverse("recommendations:export", kwargs={"fmt": "csv"}), params)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_a_too_long_query_was_cut_and_is_now_refused(client, data):
    """Before: the explorer cut the text to 1,000 characters silently, the API and the CLI
    searched any length. Now all three say why the search is not run."""
    text = "death " * 200
    assert client.get(EXPLORER, {"q": text}).status_code == 400
    assert client.get(API, {"q": text}).status_code == 422
    with pytest.raises(CommandError, match="QUERY: The search text has 1199 characters"):
        _cli({"q": text})


def test_the_search_box_stops_at_the_limit(client, data):
    html = client.get(EXPLORER).content.decode()
    assert f'name="q" value="" maxlength="{MAX_TEXT}"' in html
