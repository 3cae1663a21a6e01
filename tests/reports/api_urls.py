"""URLs for the API tests: the project's URLs plus the reports router on a test API.

The lead mounts the same router in ``uprhub/api/api.py``; django-ninja allows one router in
several APIs, so the tests do not depend on that line.
"""

from django.urls import include, path
from ninja import NinjaAPI

from uprhub.reports.api import router

api = NinjaAPI(title="reports test API", version="test", urls_namespace="reports_test_api")
api.add_router("/reports", router)

urlpatterns = [
    path("test-api/", api.urls),
    path("", include("uprhub.urls")),
]
