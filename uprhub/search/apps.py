from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "uprhub.search"
    verbose_name = "Search"
