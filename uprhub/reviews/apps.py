from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "uprhub.reviews"
    verbose_name = "States and reviews"
