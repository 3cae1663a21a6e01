from django.urls import path

from . import views

# The namespace stays "core" (these pages lived in uprhub.core): every `{% url 'core:home' %}`
# and `reverse("core:privacy")` in templates, e-mails and tests keeps working.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
]
