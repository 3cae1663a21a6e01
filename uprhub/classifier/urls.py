from django.urls import path

from . import views

app_name = "classifier"
urlpatterns = [
    path("suggestions/<int:pk>/accept/", views.accept, name="accept"),
    path("suggestions/<int:pk>/reject/", views.reject, name="reject"),
]
