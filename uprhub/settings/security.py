"""Secrets and hardening. Nothing secret lives in the repository."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from .env import data_dir, env_bool, env_str


def _secret_key() -> str:
    """Use UPRHUB_SECRET_KEY, else a key generated once and kept in the data directory."""
    key = env_str("UPRHUB_SECRET_KEY")
    if key:
        return key
    path = data_dir() / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = get_random_secret_key()
        path.write_text(key)
        path.chmod(0o600)
        return key


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
