from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "uprhub.reports"
    verbose_name = "Shadow reports"

    def ready(self) -> None:
        # The quality check's action-category estimate: the trained model when it is there
        # (it loads lazily, on the first estimate), else the rules.
        from uprhub.classifier.estimator import model_estimate

        from . import privacy, quality

        quality.register_estimator("model", model_estimate)
        privacy.register()  # its part of a person's data download and account deletion
