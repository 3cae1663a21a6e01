from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from .factories import review, session


@pytest.fixture
def world(db) -> SimpleNamespace:
    """Three 4th-cycle sessions: the US at 50 (did not appear) and 53, Haiti and Iceland at 54."""
    s50 = session(50, date(2025, 11, 3), date(2025, 11, 14))
    s53 = session(53, date(2026, 11, 2), date(2026, 11, 13))
    s54 = session(54, date(2027, 1, 25), date(2027, 2, 5))
    return SimpleNamespace(
        s50=s50,
        s53=s53,
        s54=s54,
        usa50=review("USA", s50, date(2025, 11, 7), name="United States"),
        usa53=review("USA", s53, name="United States"),
        hti54=review("HTI", s54, name="Haiti"),
        isl54=review("ISL", s54, name="Iceland"),
    )
