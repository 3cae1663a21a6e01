"""Search bookkeeping: a data-version token that tells caches when recommendations changed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexState(models.Model):
    """A single row whose ``version`` changes whenever searchable data changes.

    Database triggers (created by this app's migration and re-ensured after every ``migrate``)
    set a new random ``version`` on any write to recommendations, recommending States or labels;
    importers that bypass them call :func:`uprhub.search.index.mark_changed`. The value is an
    opaque token rather than a counter so that a rolled-back transaction can never make an old
    value mean new data (tests roll back constantly; so can a failed import).
    """

    version = models.BigIntegerField(_("data version"), default=0)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index state")

    def __str__(self) -> str:
        return f"search data version {self.version}"
