"""Core permissions × roles: the admin Outbox page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uprhub.core.rules import has_perm

from .grid import ROLES, actor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_outbox_page(client, role):
    who = actor(role)
    allowed = role == "admin"
    assert has_perm(who, "core.view_outbox") is allowed
    if role == "system":
        return
    if who.is_authenticated:
        client.force_login(who)
    status = client.get(reverse("core:outbox")).status_code
    assert status == (200 if allowed else 302 if role == "anonymous" else 403)
