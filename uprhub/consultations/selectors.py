"""Reading consultations for views and commands (they never query the models directly)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from uprhub.reviews.models import Review

from .models import Consultation, Testimony


def consultation_by_slug(slug: str) -> Consultation:
    """The consultation, or 404."""
    return get_object_or_404(Consultation.objects.select_related("review__state"), slug=slug)


def testimony_in(consultation: Consultation, pk: int) -> Testimony:
    return get_object_or_404(Testimony, consultation=consultation, pk=pk)


def review_for(iso3: str, cycle: int | None = None) -> Review | None:
    """A State's review in a cycle, or its latest one."""
    reviews = (
        Review.objects.for_state(iso3)
        .select_related("session")
        .order_by("-session__cycle_id", "-session_id")
    )
    if cycle is not None:
        reviews = reviews.filter(session__cycle_id=cycle)
    return reviews.first()
