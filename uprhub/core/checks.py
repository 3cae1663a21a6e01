"""`uprhub manage check --deploy`: UPR Hub's own production checks, beside Django's.

Each one names the environment variable to set (see .env.example, README "Production").
"""

from __future__ import annotations

import stat
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    site = urlsplit(settings.UPRHUB_SITE_URL)
    if site.scheme != "https" or site.hostname in {None, "localhost", "127.0.0.1", "::1"}:
        found.append(
            Warning(
                f"UPRHUB_SITE_URL is {settings.UPRHUB_SITE_URL!r}: links in e-mail (password "
                "resets, unsubscribe) would not reach the public site over HTTPS.",
                hint="Set UPRHUB_SITE_URL to the public address, e.g. https://upr.example.org.",
                id="uprhub.W001",
            )
        )
    if (
        settings.SECURE_SSL_REDIRECT
        and settings.UPRHUB_TRUSTED_PROXIES
        and not settings.SECURE_PROXY_SSL_HEADER
    ):
        found.append(
            Warning(
                "Behind a proxy with UPRHUB_SECURE_SSL_REDIRECT on but no "
                "UPRHUB_PROXY_SSL_HEADER, every request looks like plain HTTP: redirect loop.",
                hint="Set UPRHUB_PROXY_SSL_HEADER to the header your proxy sets, e.g. "
                "'X-Forwarded-Proto: https'.",
                id="uprhub.W002",
            )
        )
    from .outbox import mail_is_captured

    if mail_is_captured():
        found.append(
            Warning(
                "No mail server is configured: e-mail (confirmations, password links) is only "
                "written to the console and the admin Outbox page; nobody receives it.",
                hint="Set UPRHUB_EMAIL_HOST (and port, login, TLS) to your SMTP server.",
                id="uprhub.W004",
            )
        )
    data_dir = settings.DATA_DIR
    if data_dir.exists() and stat.S_IMODE(data_dir.stat().st_mode) & 0o077:
        found.append(
            Warning(
                f"The data directory {data_dir} (database, secret key, exports) can be read "
                "by other users of this machine.",
                hint=f"chmod 700 {data_dir}",
                id="uprhub.W003",
            )
        )
    return found
