"""Outgoing e-mail: an SMTP server, by default the local one on port 25.

Django 6.1 configures mail through MAILERS (the EMAIL_HOST-style settings are deprecated).
Every message goes through `uprhub.core.mail`, which refuses header injection; one-to-one
mail is queued in the outbox (`uprhub.core.outbox`) and sent, with retries, by the worker.
With no UPRHUB_EMAIL_HOST, mail goes to the console and the admin Outbox page instead.
"""

from .env import SITE_URL_VAR, env_bool, env_int, env_str

_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_CONSOLE = "django.core.mail.backends.console.EmailBackend"
# With no mail server named (neither UPRHUB_EMAIL_HOST nor UPRHUB_EMAIL_BACKEND), mail is not
# sent to a guessed one where it would fail unseen: it is written to the console and kept on
# the admin Outbox page (`uprhub.core.outbox`), and `uprhub serve` says so at start.
_host = env_str("UPRHUB_EMAIL_HOST")
_backend = env_str("UPRHUB_EMAIL_BACKEND") or (_SMTP if _host else _CONSOLE)

MAILERS = {
    "default": {
        "BACKEND": _backend,
        # Only the SMTP backend takes these; the console and file backends reject them.
        "OPTIONS": (
            {
                "host": _host or "localhost",
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
# The outbox of one-to-one mail (uprhub.core.outbox): attempts before a message is marked
# failed, and the first wait between attempts in seconds (doubling, at most an hour).
UPRHUB_EMAIL_MAX_ATTEMPTS = env_int("UPRHUB_EMAIL_MAX_ATTEMPTS", 12)
UPRHUB_EMAIL_RETRY_SECONDS = env_int("UPRHUB_EMAIL_RETRY_SECONDS", 60)

DEFAULT_FROM_EMAIL = env_str("UPRHUB_DEFAULT_FROM_EMAIL", "UPR Hub <upr@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Links in e-mails are built from this address, never from the request's Host header
# (a forged Host would otherwise put an attacker's domain into password-reset links).
# Unset, `uprhub serve` uses the address it was started on, for itself and its worker
# (uprhub.core.mail.use_server_address); other commands fall back to localhost:8000.
UPRHUB_SITE_URL = (env_str(SITE_URL_VAR).strip() or "http://localhost:8000").rstrip("/")
