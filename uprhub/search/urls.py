from django.urls import path, re_path

from . import views

# The pages are the recommendations' (/recommendations/, {% url "recommendations:detail" %});
# the search app serves them because it sits above the data.
app_name = "recommendations"
urlpatterns = [
    path("", views.explorer, name="explorer"),
    path("<int:pk>/", views.detail, name="detail"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
]
