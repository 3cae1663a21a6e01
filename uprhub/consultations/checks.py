"""`check --deploy`: identities must not be encrypted with a key derived from SECRET_KEY."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register

from .crypto import uses_derived_key


@register(Tags.security, deploy=True)
def check_consultation_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not uses_derived_key():
        return []
    return [
        Warning(
            "UPRHUB_CONSULTATION_KEYS is not set: participants' identities in consultations "
            "are encrypted with a key derived from SECRET_KEY.",
            hint="Generate a key with `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` and set UPRHUB_CONSULTATION_KEYS to it "
            "(keep it apart from backups of the database).",
            id="uprhub.consultations.W001",
        )
    ]
