"""The home page: what UPR Hub is, and a way into a State's reviews."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from uprhub.calendar import selectors as calendar_selectors
from uprhub.reviews import selectors


def home(request: HttpRequest) -> HttpResponse:
    featured = selectors.featured_state()
    now = timezone.now()
    next_deadline = calendar_selectors.next_deadline(featured.code, now) if featured else None
    return render(
        request,
        "core/home.html",
        {
            "featured": featured,
            "states": selectors.states_with_counts(),
            "next_deadline": next_deadline,
            "now": now,
        },
    )
