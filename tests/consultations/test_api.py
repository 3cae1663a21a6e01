"""The read API of consultations: approved, anonymised, not risk-flagged items, for the people
who may read a consultation's results (`consultations.view_results`)."""

from __future__ import annotations

import pytest

from tests.accounts.factories import make_user
from tests.factories import ReviewFactory, StateFactory
from uprhub.consultations import exporting, services
from uprhub.consultations.models import TestimonyStatus

from .test_exporting import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "registered",
    "member",
    "facilitator",
    "moderator",
    "moderator_elsewhere",
    "coordinator",
    "admin",
]
ALLOWED = {"member", "facilitator", "moderator", "coordinator", "admin"}


def sign_in(client, role: str, consultation) -> None:
    if role == "anonymous":
        return
    if role in {"facilitator", "moderator"}:
        user = make_user("registered")
        services.assign_role(consultation, user, role, actor=None)
    elif role == "moderator_elsewhere":
        user = make_user("registered")
        other = services.create_consultation(
            actor=None,
            slug="elsewhere",
            review=ReviewFactory(state=StateFactory(code="CAN")),
            title="Elsewhere",
        )
        services.assign_role(other, user, "moderator", actor=None)
    else:
        user = make_user(role)
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path", ["/api/consultations/pittsburgh", "/api/consultations/pittsburgh/items"]
)
def test_permission_grid(client, consultation, world, role, path):  # noqa: F811
    sign_in(client, role, consultation)
    response = client.get(path)
    expected = 401 if role == "anonymous" else 200 if role in ALLOWED else 403
    assert response.status_code == expected, response.content
    if expected != 200:
        assert "Police" not in response.content.decode()
        assert "school" not in response.content.decode()


def test_items_are_public_ones_only(client, consultation, world):  # noqa: F811
    client.force_login(make_user("member"))
    page = client.get("/api/consultations/pittsburgh/items").json()
    assert page["count"] == 1
    (item,) = page["items"]
    # Same fields and values as the export's item.
    export = exporting.export_consultation(consultation, actor=None)
    assert item == export["items"][0]
    assert item["id"] == world["approved"].pk and item["risk"] is False
    assert item["themes"] == ["Police violence"] and item["recommendations"] == ["26.178"]
    body = client.get("/api/consultations/pittsburgh/items").content.decode()
    assert "county jail" not in body  # risk-flagged: never listed


def test_consultation_detail(client, consultation, world):  # noqa: F811
    client.force_login(make_user("member"))
    data = client.get("/api/consultations/pittsburgh").json()
    assert data["slug"] == "pittsburgh" and data["state"] == "USA"
    assert data["participants"] == 4 and data["items"] == 1
    assert client.get("/api/consultations/nowhere").status_code == 404


def test_pagination(client, consultation):
    for n in range(5):
        testimony, _code = services.submit_testimony(
            consultation, services.TestimonyInput(text=f"Problem number {n}", language="en")
        )
        testimony.status = TestimonyStatus.APPROVED
        testimony.save()
    client.force_login(make_user("member"))
    first = client.get("/api/consultations/pittsburgh/items", {"page_size": 2}).json()
    last = client.get("/api/consultations/pittsburgh/items", {"page_size": 2, "page": 3}).json()
    assert first["count"] == last["count"] == 5
    assert [i["text"] for i in first["items"]] == ["Problem number 0", "Problem number 1"]
    assert [i["text"] for i in last["items"]] == ["Problem number 4"]


def test_read_only(client, consultation):
    client.force_login(make_user("admin"))
    assert client.post("/api/consultations/pittsburgh/items", {}).status_code == 405
    assert client.delete("/api/consultations/pittsburgh").status_code == 405


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/consultations/{slug}/items" in schema["paths"]
    assert "/api/consultations/{slug}" in schema["paths"]
    fields = schema["components"]["schemas"]["ConsultationItemOut"]["properties"]
    assert set(fields) == set(exporting.ITEM_FIELDS)
