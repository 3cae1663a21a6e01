from __future__ import annotations

from collections.abc import Iterator

import pytest

from uprhub.classifier import model as model_module
from uprhub.classifier.model import Model
from uprhub.search import service

from .fixtures import tiny_model


@pytest.fixture(scope="session")
def trained() -> Model:
    """The tiny model, trained once per test run."""
    return tiny_model()


@pytest.fixture
def shared_model(trained: Model) -> Iterator[Model]:
    """The tiny model installed as the process's model (instead of the shipped artifact)."""
    previous = model_module._loaded.get(model_module.artifact_path())
    model_module.set_model(trained)
    yield trained
    model_module.set_model(previous)


@pytest.fixture
def fresh_search(db) -> Iterator[None]:
    service.clear_caches()
    yield
    service.clear_caches()
