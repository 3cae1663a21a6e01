"""No output of a consultation carries who said it or what redaction removed.

From testimonies whose identity fields hold a name, an e-mail address and a phone number, and
whose texts carry an e-mail, a phone, a street address and names (removed by the automatic
redaction), plus a text full of HTML and script: every output made from them (the JSON and CSV
exports through the command line, with and without unmoderated items, and every read-API
answer, for a reader and for people refused) is searched for each of those values. HTML must
stay inert: plain data in JSON and CSV (never rendered: the API answers application/json with
nosniff), escaped in HTML pages.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import make_user
from uprhub.consultations import services
from uprhub.consultations.models import IdentityAccess, Testimony, TestimonyStatus

pytestmark = pytest.mark.django_db

IDENTITY = {
    "name": "Marisol Quispe-Huaman",
    "email": "mq.private@example.net",
    "phone": "+1 412 555 0199",
}

# (text, language) and the strings the automatic redaction removes from it.
TEXTS = [
    (
        "I am Marisol Quispe-Huaman, write to marisol.q@example.org or call (412) 555-0148. "
        "We live at 1834 Wylie Avenue, Pittsburgh. My brother Tupac Quispe was beaten by "
        "Officer Brennan.",
        "en",
    ),
    (
        "Escríbeme a denuncias+pgh@example.com o al +52 55 1234 5678. Vivo en Calle Hidalgo 42. "
        "Mi hermano Mateo Quispe está preso.",
        "es",
    ),
]
REDACTED_AWAY = [
    "Marisol",
    "Quispe",
    "Huaman",
    "marisol.q@example.org",
    "412) 555-0148",
    "555-0148",
    "1834 Wylie",
    "Wylie Avenue",
    "Tupac",
    "Brennan",
    "denuncias+pgh@example.com",
    "1234 5678",
    "Calle Hidalgo",
    "Mateo",
]
IDENTITY_VALUES = [*IDENTITY.values(), "mq.private", "555 0199"]
HTML = (
    '<script>alert("owned")</script><b onmouseover=alert(1)>Rent</b> doubled & the landlord '
    "<img src=x onerror=alert(2)> threatens us."
)


@pytest.fixture(params=[TestimonyStatus.APPROVED, TestimonyStatus.NEW])
def testimonies(request, consultation):
    """The same fixture approved (the default export and the API show it) and new (only
    `--include-unmoderated` exports it)."""
    made = []
    for text, language in [*TEXTS, (HTML, "en")]:
        for risk in (False, True):
            testimony, _code = services.submit_testimony(
                consultation,
                services.TestimonyInput(
                    text=text,
                    language=language,
                    government="Call Marisol at mq.private@example.net.",
                    quote_anonymously=True,
                    quote_named=True,
                    may_contact=True,
                    fears_reprisals=risk,
                ),
                services.IdentityInput(**IDENTITY),
                email_receipt=False,
            )
            made.append(testimony.pk)
    Testimony.objects.filter(pk__in=made).update(status=request.param)
    return request.param


def _assert_clean(output: str, where: str) -> None:
    for value in IDENTITY_VALUES + REDACTED_AWAY:
        assert value.lower() not in output.lower(), f"{value!r} leaked into {where}"


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("consultations", "export", "pittsburgh", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("unmoderated", [False, True], ids=["approved", "include-unmoderated"])
def test_exports_hold_no_identity_and_no_redacted_text(consultation, testimonies, unmoderated):
    extra = ["--include-unmoderated"] if unmoderated else []
    with CaptureQueriesContext(connection) as queries:
        as_json = _export("--format", "json", *extra)
        as_csv = _export("--format", "csv", *extra)
    # Exports never read the identity table (nor decrypt anything).
    assert not [q for q in queries.captured_queries if "consultations_identity" in q["sql"]]
    assert not IdentityAccess.objects.exists()
    data = json.loads(as_json)
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    expected = 6 if (unmoderated or testimonies == TestimonyStatus.APPROVED) else 0
    assert len(data["items"]) == len(rows) == expected
    _assert_clean(as_json, "the JSON export")
    _assert_clean(as_csv, "the CSV export")
    if expected:
        # The redaction placeholders are there: the texts were exported, redacted.
        assert "[e-mail removed]" in as_json and "[address removed]" in as_csv
        # HTML is data: the exact characters, neither rendered nor half-escaped.
        assert HTML in {item["text"] for item in data["items"]}
        assert HTML in {row["text"] for row in rows}
        # Redacted items say nothing of the "government" answer or of the person.
        assert all(set(item) >= {"id", "text"} for item in data["items"])
        assert not {"name", "email", "phone", "government", "answers"} & set(data["items"][0])


@pytest.mark.parametrize("role", ["anonymous", "registered", "member", "admin"])
def test_api_answers_hold_no_identity_and_no_redacted_text(client, consultation, testimonies, role):
    if role != "anonymous":
        client.force_login(make_user(role))
    answers = []
    for path in (
        "/api/consultations/pittsburgh",
        "/api/consultations/pittsburgh/items",
        "/api/consultations/pittsburgh/items?page_size=500",
    ):
        response = client.get(path)
        answers.append(response)
        _assert_clean(response.content.decode(), f"{path} as {role}")
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
    items = answers[2].json().get("items", []) if answers[2].status_code == 200 else []
    if role in {"member", "admin"} and testimonies == TestimonyStatus.APPROVED:
        assert len(items) == 3  # the risk-flagged three are never listed
        assert HTML in {item["text"] for item in items}
    else:
        assert items == []


def test_public_page_holds_nothing(client, consultation, testimonies):
    page = client.get("/listen/pittsburgh/").content.decode()
    _assert_clean(page, "the public page")
    assert "<script>alert" not in page and "onerror=alert" not in page
