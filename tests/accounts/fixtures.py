"""Fixtures shared by the accounts, taskforce and browser tests (imported by their conftests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import ThemeFactory, VocabularyFactory
from tests.smtp import smtp_controller, smtp_server  # noqa: F401 (re-exported fixtures)

from .factories import make_user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 at production strength costs ~0.3 s per hash; the grid creates hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def site_url(settings) -> str:
    settings.UPRHUB_SITE_URL = "http://testserver"
    return settings.UPRHUB_SITE_URL


@pytest.fixture
def themes(db) -> dict[str, Any]:
    vocabulary = VocabularyFactory(slug="uprinfo-issues")
    names = ["Right to housing", "Indigenous peoples", "Torture and other CID", "Death penalty"]
    return {name: ThemeFactory(vocabulary=vocabulary, name=name) for name in names}


@pytest.fixture
def user_in(db) -> Callable[..., Any]:
    """`user_in("coordinator")` → an account in that role."""
    return make_user


@pytest.fixture
def client_as(client, db) -> Callable[[str], Any]:
    """`client_as("member")` → the test client, logged in with that role (or anonymous)."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(make_user(role))
        return client

    return login
