"""The permission grid: every page and action × every role, with the expected status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url

from .factories import ROLES


@dataclass(frozen=True)
class Case:
    name: str
    method: str  # "get" or "post"
    url: Callable[[Any], str]
    expected: tuple[int, int, int, int, int]  # anonymous, registered, member, coordinator, admin
    data: Callable[[Any], dict[str, Any]] | None = None
    # Where an anonymous 302 must go: the login page (protected pages) or anywhere.
    anonymous_to_login: bool = True

    def status_for(self, role: str) -> int:
        return self.expected[ROLES.index(role)]


def run_case(case: Case, role: str, client: Any, world: Any) -> Any:
    data = case.data(world) if case.data else None
    response = getattr(client, case.method)(case.url(world), data=data)
    assert response.status_code == case.status_for(role), (
        f"{case.name} as {role}: {response.status_code}, expected {case.status_for(role)}"
    )
    if role == "anonymous" and response.status_code == 302 and case.anonymous_to_login:
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    return response


def everyone(status: int) -> tuple[int, int, int, int, int]:
    return (status,) * 5


def without_csrf(content: bytes) -> bytes:
    """Page content minus the per-request CSRF token, to compare two responses."""
    import re

    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
