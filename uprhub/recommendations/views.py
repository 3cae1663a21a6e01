from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Recommendation


def explorer(request: HttpRequest) -> HttpResponse:
    return render(request, "recommendations/explorer.html", {})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_object_or_404(Recommendation.objects.with_details(), pk=pk)
    return render(request, "recommendations/detail.html", {"recommendation": rec})
