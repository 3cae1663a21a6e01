"""A refused request is logged as one line; a server error keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("odd request")


def broken(request):
    raise RuntimeError("a real bug")


urlpatterns = [
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("broken/", broken),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def formatted(caplog) -> str:
    """The records as the console handler would write them (message plus any traceback)."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def test_403_is_one_line_without_traceback(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/forbidden/")
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /forbidden/"
    assert record.exc_info is None
    text = formatted(caplog)
    assert "Traceback" not in text and "PermissionDenied" not in text
    assert text.count("\n") == 0


def test_400_for_a_suspicious_request_has_no_traceback(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/suspicious/")
    assert response.status_code == 400
    assert [r.name for r in caplog.records] == ["django.security.SuspiciousOperation"]
    # That logger is not django.request: the console handler's filter drops its traceback.
    handler = logging.getLogger().handlers
    console = [h for h in handler if type(h) is logging.StreamHandler]
    assert console and all(f.filter(caplog.records[0]) for f in console[0].filters)
    assert caplog.records[0].exc_info is None


def test_500_keeps_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/broken/")
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is not None
    text = formatted(caplog)
    assert "Traceback" in text and "RuntimeError: a real bug" in text
