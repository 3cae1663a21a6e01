from django.urls import path

from . import views

# The URL names stay {% url "reviews:state" code %}: the pages are about reviewed States.
app_name = "reviews"
urlpatterns = [
    path("", views.state_list, name="state_list"),
    path("<str:code>/", views.state_detail, name="state"),
]
