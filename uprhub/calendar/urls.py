from django.urls import path, register_converter

from . import views


class StateCodeConverter:
    """Three letters (ISO 3166-1 alpha-3), any case: the view redirects to upper case."""

    regex = "[A-Za-z]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StateCodeConverter, "calendar_iso3")

app_name = "calendar"
urlpatterns = [
    path("", views.index, name="index"),
    # Before the State patterns: "all" is three letters too.
    path("all.ics", views.all_feed, name="feed_all"),
    path("deadlines/<int:pk>/edit/", views.edit_deadline, name="edit"),
    path(
        "sessions/<int:session>/<slug:kind>/set/",
        views.set_deadline,
        name="set_session_deadline",
    ),
    path("<calendar_iso3:code>.ics", views.state_feed, name="feed_state"),
    path("<calendar_iso3:code>/", views.whats_next, name="state"),
    path(
        "<calendar_iso3:code>/<int:session>/<slug:kind>/set/",
        views.set_deadline,
        name="set_review_deadline",
    ),
]
