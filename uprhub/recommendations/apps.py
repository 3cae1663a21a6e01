from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "uprhub.recommendations"
    verbose_name = "Recommendations"
