from django.urls import path

from . import views
from .feeds import PublicPostsFeed

app_name = "mailinglists"
urlpatterns = [
    path("", views.index, name="index"),
    path("subscribe/sent/", views.subscribe_done, name="subscribe_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    # Short path: it is in the List-Unsubscribe header of every message.
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reminders/off/<str:token>/", views.reminders_off, name="reminders_off"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/sent/", views.preferences_sent, name="preferences_sent"),
    path("preferences/<str:token>/", views.preferences_token, name="preferences_token"),
    path("feed/", PublicPostsFeed(), name="feed"),
    path("archive/<slug:slug>/", views.archive, name="archive"),
    path("archive/<slug:slug>/<int:pk>/", views.archive_post, name="archive_post"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.compose, name="compose"),
    path("posts/<int:pk>/", views.preview, name="preview"),
    path("posts/<int:pk>/edit/", views.compose, name="edit"),
    path("posts/<int:pk>/send/", views.send, name="send"),
    path("posts/<int:pk>/deliveries/", views.deliveries, name="deliveries"),
]
