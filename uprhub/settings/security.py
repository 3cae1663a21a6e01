"""Secrets and hardening. Nothing secret lives in the repository."""

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

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("UPRHUB_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [o for o in env_str("UPRHUB_CSRF_TRUSTED_ORIGINS").split(",") if o]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
