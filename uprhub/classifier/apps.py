from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassifierConfig(AppConfig):
    name = "uprhub.classifier"
    verbose_name = _("Machine tagging")

    def ready(self) -> None:
        # The report builder's quality check asks registered estimators for the action
        # category; ours answers only when the trained model is there (it loads lazily).
        try:
            from uprhub.reports import quality
        except ImportError:  # pragma: no cover - the reports app is part of the project
            return
        register = getattr(quality, "register_estimator", None)
        if register is not None:
            from .estimator import model_estimate

            register("model", model_estimate)
