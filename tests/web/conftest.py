from __future__ import annotations

import pytest

from tests.web.factories import make_web_data


@pytest.fixture
def web_data(db):
    return make_web_data()
