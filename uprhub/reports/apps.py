from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "uprhub.reports"
    verbose_name = "Shadow reports"
