from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "uprhub.coalition"
    verbose_name = "UPR Taskforce"
