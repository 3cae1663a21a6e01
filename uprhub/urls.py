from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("uprhub.core.urls")),
    path("recommendations/", include("uprhub.recommendations.urls")),
    path("states/", include("uprhub.reviews.urls")),
    path("api/", include("uprhub.api.urls")),
    path("accounts/", include("uprhub.accounts.urls")),
    path("taskforce/", include("uprhub.coalition.urls")),
    path("calendar/", include("uprhub.calendar.urls")),
    path("lists/", include("uprhub.mailinglists.urls")),
    path("reports/", include("uprhub.reports.urls")),
    path("classifier/", include("uprhub.classifier.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
