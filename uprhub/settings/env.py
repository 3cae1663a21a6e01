"""The one place that reads the environment. See `.env.example` for every variable."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """Where the embedded SQLite file and other runtime state live (default ./var).

    Created owner-only (0700) when missing: it holds the database, the secret key and
    exports. An existing directory keeps the mode its operator gave it.
    """
    path = Path(env_str("UPRHUB_DATA_DIR", "var")).expanduser().resolve()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process was quicker
            path.mkdir(mode=0o700)
            path.chmod(0o700)  # whatever the umask
    return path


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """A header the reverse proxy sets on HTTPS requests, "X-Forwarded-Proto: https".

    Returns Django's SECURE_PROXY_SSL_HEADER form, ("HTTP_X_FORWARDED_PROTO", "https"),
    or None when unset. A malformed value stops the start: a silently ignored one would
    make every request look like plain HTTP (redirect loops) or trust a forged header.
    """
    raw = env_str(name).strip()
    if not raw:
        return None
    header, sep, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not sep or not value or not re.fullmatch(r"[A-Za-z0-9-]+", header):
        raise ImproperlyConfigured(
            f"{name} must look like 'X-Forwarded-Proto: https' (header: value), not {raw!r}"
        )
    return "HTTP_" + header.upper().replace("-", "_"), value


#: Public address of the site for links in e-mail (see uprhub/settings/email.py).
SITE_URL_VAR = "UPRHUB_SITE_URL"


def site_url_is_set() -> bool:
    return bool(env_str(SITE_URL_VAR).strip())


def export_site_url(url: str) -> None:
    """Hand the address `uprhub serve` was started on to the processes it starts (worker)."""
    os.environ[SITE_URL_VAR] = url
