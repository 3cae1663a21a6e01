"""Test set-up shared by every test: database choice, servers, factories."""

from __future__ import annotations

import os

import pytest


def _using_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(scope="session")
def db_vendor() -> str:
    return "postgresql" if _using_postgres() else "sqlite"
