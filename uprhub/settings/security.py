"""Secrets and hardening. Nothing secret lives in the repository."""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.csp import CSP

from .env import data_dir, env_bool, env_int, env_proxy_ssl_header, env_str


def _secret_key() -> str:
    """Use UPRHUB_SECRET_KEY, else a key generated once and kept in the data directory."""
    key = env_str("UPRHUB_SECRET_KEY")
    if key:
        return key
    path = data_dir() / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return _create_secret_key(path)


def _create_secret_key(path: Path) -> str:
    """Write a new key 0600 (never readable by others, not even for a moment).

    Written to a private temporary file, then hard-linked into place: the link fails if
    another process got there first (then its key is used), and nobody ever reads a
    half-written key.
    """
    key = get_random_secret_key()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return path.read_text().strip()
        return key
    finally:
        os.unlink(temporary)


SECRET_KEY = _secret_key()


def _trusted_proxies() -> int:
    """How many reverse proxies in front of UPR Hub append to X-Forwarded-For (default 0)."""
    raw = env_str("UPRHUB_TRUSTED_PROXIES", "0").strip() or "0"
    # A typo must stop the start, not silently fall back: 0 behind a proxy puts every
    # visitor in one rate-limit bucket, too many hops lets clients choose their address.
    if not (raw.isascii() and raw.isdigit()):
        raise ImproperlyConfigured(
            f"UPRHUB_TRUSTED_PROXIES must be a whole number of proxies (0, 1, 2…), not {raw!r}"
        )
    return int(raw)


SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("UPRHUB_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in env_str("UPRHUB_CSRF_TRUSTED_ORIGINS").split(",") if o]
# Rate limits read the client address from X-Forwarded-For only through this many proxies
# (see uprhub.core.antispam.client_address); 0 uses the connection's address.
UPRHUB_TRUSTED_PROXIES = _trusted_proxies()
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# HTTPS (README "Production"). Off by default so `uprhub serve` works on plain HTTP at home;
# behind a TLS-terminating proxy turn them on together with UPRHUB_PROXY_SSL_HEADER.
SECURE_SSL_REDIRECT = env_bool("UPRHUB_SECURE_SSL_REDIRECT", False)
# The header (and value) the proxy sets on HTTPS requests, e.g. "X-Forwarded-Proto: https".
# Only when the proxy always sets or overwrites it: clients could send it themselves.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("UPRHUB_PROXY_SSL_HEADER")
SECURE_HSTS_SECONDS = env_int("UPRHUB_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("UPRHUB_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("UPRHUB_HSTS_PRELOAD", False)

# Content-Security-Policy (django.middleware.csp): scripts and styles only from our own
# static files, nothing inline, no plug-ins, no framing, forms post only to us. The NONCE
# placeholder is dropped from the header unless a template uses {% csp_nonce_attr %} (only
# Django's admin does); UPR Hub's own templates carry no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
