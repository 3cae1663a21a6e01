from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from uprhub.core.antispam import rate_limited

urlpatterns = [
    path("", include("uprhub.site.urls")),
    path("recommendations/", include("uprhub.search.urls")),
    path("states/", include("uprhub.recommendations.state_urls")),
    path("api/", include("uprhub.api.urls")),
    path("accounts/", include("uprhub.accounts.urls")),
    path("taskforce/", include("uprhub.coalition.urls")),
    path("calendar/", include("uprhub.calendar.urls")),
    path("lists/", include("uprhub.mailinglists.urls")),
    path("reports/", include("uprhub.reports.urls")),
    path("classifier/", include("uprhub.classifier.urls")),
    path("listen/", include("uprhub.consultations.urls")),
    path("followup/", include("uprhub.followup.urls")),
    # The language switcher is on every page; with a CSRF token in it no page could be cached
    # for anonymous visitors. Changing the language is harmless if forged (it only sets the
    # language cookie), so the switcher posts without a token.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # The admin's log-in shares the site log-in's limit (one budget of password guesses per
    # client); listed first so it answers /admin/login/ before the admin's own route.
    path("admin/login/", rate_limited("login")(admin.site.login)),
    path("admin/", admin.site.urls),
]
