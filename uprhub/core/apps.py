from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "uprhub.core"
    verbose_name = "UPR Hub core"
