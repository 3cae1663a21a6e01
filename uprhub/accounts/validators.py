"""Validators for the short, single-line fields people type into public forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def single_line(value: str) -> None:
    """Reject line breaks and other control characters.

    Names and places end up in e-mails, exports and OHCHR cover sheets; a line break there
    is never intended and is how header-injection attempts look.
    """
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("Use a single line without special characters."), code="single_line"
        )
