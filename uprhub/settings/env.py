"""The one place that reads the environment. See `.env.example` for every variable."""

from __future__ import annotations

import os
from pathlib import Path


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
    """Where the embedded SQLite file and other runtime state live (default ./var)."""
    path = Path(env_str("UPRHUB_DATA_DIR", "var")).expanduser().resolve()
    return path


#: Public address of the site for links in e-mail (see uprhub/settings/email.py).
SITE_URL_VAR = "UPRHUB_SITE_URL"


def site_url_is_set() -> bool:
    return bool(env_str(SITE_URL_VAR).strip())


def export_site_url(url: str) -> None:
    """Hand the address `uprhub serve` was started on to the processes it starts (worker)."""
    os.environ[SITE_URL_VAR] = url
