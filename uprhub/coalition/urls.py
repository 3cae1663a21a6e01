from django.urls import path

from . import views

app_name = "coalition"
urlpatterns = [
    path("", views.about, name="about"),
    path("apply/", views.apply, name="apply"),
    path("apply/thanks/", views.apply_done, name="apply_done"),
    path("apply/confirm/", views.confirm_submit, name="confirm_submit"),
    path("apply/confirm/<str:token>/", views.confirm, name="confirm"),
    path("applications/", views.queue, name="queue"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("directory/", views.directory, name="directory"),
]
