"""Outgoing e-mail: an SMTP server, by default the local one on port 25.

Django 6.1 configures mail through MAILERS (the EMAIL_HOST-style settings are deprecated).
Every message goes through `uprhub.core.mail`, which refuses header injection and sends
after the database transaction commits.
"""

from .env import SITE_URL_VAR, env_bool, env_int, env_str

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_backend = env_str("UPRHUB_EMAIL_BACKEND", _SMTP)

MAILERS = {
    "default": {
        "BACKEND": _backend,
        # Only the SMTP backend takes these; the console and file backends reject them.
        "OPTIONS": (
            {
                "host": env_str("UPRHUB_EMAIL_HOST", "localhost"),
                "port": env_int("UPRHUB_EMAIL_PORT", 25),
                "username": env_str("UPRHUB_EMAIL_HOST_USER"),
                "password": env_str("UPRHUB_EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("UPRHUB_EMAIL_USE_TLS", False),
                "use_ssl": env_bool("UPRHUB_EMAIL_USE_SSL", False),
                # A hung mail server must not hold a web request for minutes.
                "timeout": env_int("UPRHUB_EMAIL_TIMEOUT", 10),
            }
            if _backend == _SMTP
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("UPRHUB_DEFAULT_FROM_EMAIL", "UPR Hub <upr@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Links in e-mails are built from this address, never from the request's Host header
# (a forged Host would otherwise put an attacker's domain into password-reset links).
# Unset, `uprhub serve` uses the address it was started on, for itself and its worker
# (uprhub.core.mail.use_server_address); other commands fall back to localhost:8000.
UPRHUB_SITE_URL = (env_str(SITE_URL_VAR).strip() or "http://localhost:8000").rstrip("/")
