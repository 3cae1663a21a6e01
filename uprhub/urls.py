from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

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
    # The language switcher is on every page; with a CSRF token in it no page could be cached
    # for anonymous visitors. Changing the language is harmless if forged (it only sets the
    # language cookie), so the switcher posts without a token.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
