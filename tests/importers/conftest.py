"""Shared helpers for the importer tests: paths, table counts, small real extracts."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprhub.recommendations.importers.bundled import BUNDLED_DIR
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.models import (
    Label,
    Recommendation,
    RecommendingState,
    Source,
    Theme,
    Vocabulary,
    VoluntaryPledge,
)
from uprhub.reviews.models import Cycle, Document, Review, Session, State, StateAlias

CORPUS = Path(__file__).resolve().parent / "corpus"
UPRINFO_CSV = BUNDLED_DIR / "uprinfo" / "recommendations-sessions-01-17.csv"
PLEDGES_CSV = BUNDLED_DIR / "uprinfo" / "voluntary-pledges-sessions-01-17.csv"
OHCHR_CSV = BUNDLED_DIR / "ohchr" / "usa-cycle3-recommendations.csv"
SLOVENIA_DOCX = BUNDLED_DIR / "ohchr" / "thematic-lists" / "UPR48_Slovenia_thematic_list.docx"

COUNTED = (
    State,
    StateAlias,
    Cycle,
    Session,
    Review,
    Document,
    Source,
    Vocabulary,
    Theme,
    Recommendation,
    RecommendingState,
    Label,
    VoluntaryPledge,
    VoluntaryPledge.themes.through,
)


def table_counts() -> dict[str, int]:
    """Row counts of every table an import may write: equal before/after = nothing written."""
    return {model._meta.label: model.objects.count() for model in COUNTED}


def uprinfo_lines() -> list[str]:
    """The bundled UPR Info export, one string per line (header first)."""
    return UPRINFO_CSV.read_text(encoding="utf-8").split("\n")


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def reference(db) -> None:
    """States, aliases, cycles, sessions and known reviews."""
    load_reference_data()
