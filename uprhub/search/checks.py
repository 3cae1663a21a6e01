"""System checks of the search layer (``uprhub manage check``; run before ``migrate``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_similarity(app_configs=None, **kwargs):
    # Imported here: `semantic` pulls in NumPy, and this module is imported at every start-up.
    from . import semantic

    value = str(getattr(settings, "UPRHUB_SIMILARITY", semantic.TFIDF) or "").strip().lower()
    if value and value not in semantic.CHOICES:
        return [
            Error(
                f"UPRHUB_SIMILARITY={value!r} is not one of: {', '.join(semantic.CHOICES)}.",
                id="uprhub.search.E001",
            )
        ]
    if value != semantic.SEMANTIC:
        return []
    missing = semantic.missing_requirements()
    if not missing:
        return []
    return [
        Warning(
            "UPRHUB_SIMILARITY=semantic, but the semantic extra is not installed "
            f"(missing: {', '.join(missing)}); similar recommendations use the full-text "
            "(TF-IDF) ranking.",
            hint=f"Install it with: {semantic.INSTALL_HINT}",
            id="uprhub.search.W001",
        )
    ]
