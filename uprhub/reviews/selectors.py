"""Reads of the reference data: States by code, the States under review.

Statistics about the recommendations a State received or made (the State pages, the home
page's featured State, the API's review lists with counts) are the recommendations app's
(`uprhub.recommendations.selectors`), which builds on this one.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import State


def state_exists(code: str) -> bool:
    """Whether a State has this code (any case)."""
    return State.objects.filter(code=code.upper()).exists()


def state_by_code(code: str) -> State | None:
    return State.objects.filter(code=code.upper()).first()


def states(*, under_review: bool = False) -> QuerySet[State]:
    """Every State (or only those under review), in the model's order; for the API's pages."""
    states = State.objects.all()
    return states.under_review() if under_review else states
