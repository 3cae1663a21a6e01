from __future__ import annotations

import pytest

from uprhub.search import service

from .factories import Corpus, make_corpus


@pytest.fixture
def corpus(db) -> Corpus:
    service.clear_caches()
    return make_corpus()
