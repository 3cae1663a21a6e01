"""The home page: what UPR Hub is, and a way into a State's reviews."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from uprhub.reviews import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {"featured": selectors.featured_state(), "states": selectors.states_with_counts()},
    )
