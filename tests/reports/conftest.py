from __future__ import annotations

import pytest
from django.utils import translation

from tests.accounts.fixtures import *  # noqa: F403
from uprhub.search import service

from .factories import ReportWorld, make_world


@pytest.fixture(autouse=True)
def in_english():
    # Messages are compared in English; another test may have left a language active.
    with translation.override("en"):
        yield


@pytest.fixture
def world(db) -> ReportWorld:
    service.clear_caches()
    return make_world()
