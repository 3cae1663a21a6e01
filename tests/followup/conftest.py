from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import (
    CycleFactory,
    RecommendationFactory,
    ReviewFactory,
    SessionFactory,
    StateFactory,
    ThemeFactory,
)
from uprhub.recommendations.importers.bundled import bundled_path
from uprhub.reviews.models import Document, DocumentKind

SAMPLE = Path(__file__).resolve().parent / "data" / "evidence_sample.json"


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def usa(db):
    """The United States with a 3rd-cycle review (session 36) and a 4th (session 50)."""
    state = StateFactory(code="USA", iso3="USA", short_name="United States")
    third = ReviewFactory(
        state=state, session=SessionFactory(number=36, cycle=CycleFactory(number=3))
    )
    fourth = ReviewFactory(
        state=state, session=SessionFactory(number=50, cycle=CycleFactory(number=4))
    )
    return state, third, fourth


def add_bundled_documents(review) -> None:
    """The real US 4th-cycle compilation (/2) and stakeholders' summary (/3)."""
    for number, kind in ((2, DocumentKind.COMPILATION), (3, DocumentKind.STAKEHOLDER_SUMMARY)):
        text = bundled_path(f"ohchr/A_HRC_WG.6_50_USA_{number}.txt").read_text(encoding="utf-8")
        Document.objects.create(
            review=review,
            kind=kind,
            symbol=f"A/HRC/WG.6/50/USA/{number}",
            title="test",
            text=text,
        )


def add_recommendation(review, paragraph: str, text: str, theme: str = ""):
    themes = [ThemeFactory(name=theme)] if theme else []
    return RecommendationFactory(review=review, paragraph=paragraph, text=text, themes=themes)
