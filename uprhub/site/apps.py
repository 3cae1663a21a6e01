from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "uprhub.site"
    label = "site"
    verbose_name = "UPR Hub site"
