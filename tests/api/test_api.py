"""The read-only REST API: shape, filters, facets, pagination, OpenAPI, errors."""

from __future__ import annotations

import pytest

from tests.factories import (
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    usa = StateFactory(code="USA", short_name="United States", regional_group="WEOG")
    fra = StateFactory(code="FRA", short_name="France", regional_group="WEOG")
    bra = StateFactory(code="BRA", short_name="Brazil", regional_group="GRULAC")
    s9 = SessionFactory(number=9, cycle__number=1)
    s36 = SessionFactory(number=36, cycle__number=3)
    dp = ThemeFactory(name="Death penalty")
    r1 = ReviewFactory(state=usa, session=s9)
    r3 = ReviewFactory(state=usa, session=s36)
    a = RecommendationFactory(
        review=r1,
        text="Abolish the death penalty at the federal level",
        recommenders=[fra, bra],
        themes=[dp],
        position="noted",
        action_category=5,
    )
    b = RecommendationFactory(
        review=r3,
        text="Establish a moratorium on the death penalty",
        recommenders=[fra],
        themes=[dp],
        position="noted",
        paragraph="26.130",
    )
    c = RecommendationFactory(
        review=r3,
        text="Ratify the Convention on the Rights of the Child",
        recommenders=[bra],
        position="supported",
        paragraph="26.2",
    )
    return {"a": a, "b": b, "c": c, "dp": dp}


def test_search_shape_and_facets(client, data):
    response = client.get("/api/recommendations", {"q": "death penalty"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert {r["id"] for r in body["results"]} == {data["a"].pk, data["b"].pk}
    first = body["results"][0]
    for key in (
        "id",
        "text",
        "state",
        "recommending_states",
        "position",
        "cycle",
        "session",
        "paragraph",
        "themes",
        "action_category",
        "snippet",
    ):
        assert key in first
    cycles = {v["value"]: v["count"] for v in body["facets"]["cycle"]}
    assert cycles == {"1": 1, "3": 1}


def test_search_filters(client, data):
    body = client.get(
        "/api/recommendations", {"state": "usa", "cycle": 3, "position": "supported"}
    ).json()
    assert [r["id"] for r in body["results"]] == [data["c"].pk]
    assert body["results"][0]["recommending_states"][0]["code"] == "BRA"


def test_search_bad_params_are_validation_errors_not_crashes(client, data):
    bad = client.get("/api/recommendations", {"cycle": "three"})
    assert bad.status_code == 422
    assert [e["loc"] for e in bad.json()["detail"]] == [["query", "cycle"]]
    nasty = client.get("/api/recommendations", {"q": '"NEAR( -* ((( 🙂', "page": -4})
    assert nasty.status_code == 200
    assert (nasty.json()["page"], nasty.json()["total"], nasty.json()["results"]) == (1, 0, [])


def test_recommendation_detail_and_404(client, data):
    body = client.get(f"/api/recommendations/{data['a'].pk}").json()
    assert body["text"].startswith("Abolish")
    assert "similar" in body
    assert client.get("/api/recommendations/999999").status_code == 404


def test_states_and_reviews(client, data):
    states = client.get("/api/states", {"under_review": True}).json()
    assert states["count"] == 1 and states["items"][0]["code"] == "USA"
    detail = client.get("/api/states/usa").json()
    assert [r["session"] for r in detail["reviews"]] == [9, 36]
    assert detail["reviews"][1]["recommendations"] == 2
    assert detail["reviews"][1]["compilation_symbol"] == "A/HRC/WG.6/36/USA/2"
    reviews = client.get("/api/reviews", {"cycle": 3, "page_size": 1}).json()
    assert reviews["count"] == 1
    assert client.get("/api/states/XYZ").status_code == 404


def test_themes_and_vocabularies(client, data):
    vocabularies = client.get("/api/vocabularies").json()
    assert vocabularies[0]["slug"] == "uprinfo-issues"
    themes = client.get("/api/themes", {"vocabulary": "uprinfo-issues"}).json()
    assert [t["name"] for t in themes["items"]] == ["Death penalty"]


def test_openapi_document(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "UPR Hub API"
    assert "/api/recommendations" in schema["paths"]
    assert "/api/consultations/{slug}/items" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content  # no network at run time
    assert b'src="/static/ninja/swagger-ui-bundle.js"' in docs.content
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_api_is_read_only(client, data):
    assert client.post("/api/recommendations", {}).status_code == 405
    assert client.delete(f"/api/recommendations/{data['a'].pk}").status_code == 405
    data["a"].refresh_from_db()  # still there, unchanged
    assert data["a"].text.startswith("Abolish")
