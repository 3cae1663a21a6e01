from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import State


def state_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/state_list.html", {"states": State.objects.under_review()})


def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = get_object_or_404(State, code=code.upper())
    return render(request, "reviews/state_detail.html", {"state": state})
