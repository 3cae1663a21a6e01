"""Fixtures for the permission grids: the accounts fixtures (fast hashing, fresh rate limits)."""

from tests.accounts.fixtures import *  # noqa: F403
