from django.contrib import admin
from django.urls import include, path

from uprhub.core.antispam import rate_limited

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
    # The admin's log-in shares the site log-in's limit (one budget of password guesses per
    # client); listed first so it answers /admin/login/ before the admin's own route.
    path("admin/login/", rate_limited("login")(admin.site.login)),
    path("admin/", admin.site.urls),
]
