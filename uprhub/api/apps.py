from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "uprhub.api"
    verbose_name = "REST API"
