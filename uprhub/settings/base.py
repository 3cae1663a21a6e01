import importlib.util
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import data_dir, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

DEBUG = env_bool("UPRHUB_DEBUG", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "uprhub.core",
    "uprhub.reviews",
    "uprhub.recommendations",
    "uprhub.search",
    "uprhub.api",
    "uprhub.accounts",
    "uprhub.coalition",
    "uprhub.calendar",
    "django_tasks_db",
    "uprhub.mailinglists",
    "uprhub.reports",
    "uprhub.classifier",
    "uprhub.consultations",
    "uprhub.followup",
    "uprhub.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # policy: settings/security.py
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After the language is known, before anything reads the session, user or CSRF token.
    "uprhub.core.pagecache.PublicPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# django-ninja's Swagger UI page and assets, served locally (no CDN at run time). Found without
# importing the package: as an installed app, ninja (and pydantic) would be imported at every
# start of every command, a fifth of `uprhub search`'s start-up. See uprhub/api/api.py.
NINJA_DIR = Path(importlib.util.find_spec("ninja").origin).parent
STATICFILES_DIRS = [NINJA_DIR / "static"]

ROOT_URLCONF = "uprhub.urls"
WSGI_APPLICATION = "uprhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates", NINJA_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",  # the nonce Django's admin uses
                "uprhub.accounts.context_processors.roles",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English first; Spanish and French catalogues follow (see docs/TRANSLATING.md).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("UPRHUB_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
# Only needed for `collectstatic` behind another web server; WhiteNoise serves from the apps.
STATIC_ROOT = env_str("UPRHUB_STATIC_ROOT") or None
# Serve app static files straight from their finders so a fresh install needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Load the bundled UN / UPR Info data on first use of the database.
UPRHUB_AUTOLOAD = env_bool("UPRHUB_AUTOLOAD", True)
UPRHUB_PAGE_SIZE = 20
# Rows per short transaction of a batched (SQLite) recommendations import.
UPRHUB_IMPORT_BATCH_ROWS = env_int("UPRHUB_IMPORT_BATCH_ROWS", 500)
UPRHUB_EXPORT_MAX_ROWS = 1_000_000
# Explorer exports of at least this many rows are cached per data version and built only in
# one of UPRHUB_EXPORT_SLOTS slots shared by all server processes (others get "busy, retry").
UPRHUB_EXPORT_CACHE_MIN_ROWS = env_int("UPRHUB_EXPORT_CACHE_MIN_ROWS", 2_000)
UPRHUB_EXPORT_SLOTS = env_int("UPRHUB_EXPORT_SLOTS", 2)
# Where those exports are built: "process" (a child process, so that the web server's threads
# keep the interpreter to themselves) or "thread" (in the request's thread; the test suite
# uses it, since a child process cannot see a test's transaction).
UPRHUB_EXPORT_BUILDER = env_str("UPRHUB_EXPORT_BUILDER") or "process"

# Tokens in the paths of e-mailed links are masked in every logged message
# (uprhub.core.logging): on the console handler, and on the loggers that write request
# paths (logger filters run before the record reaches any handler, test capture included).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403, 400…) is the client's doing, not a bug: one line, no traceback.
    # Tokens of e-mailed links are masked wherever a request path is logged.
    "filters": {
        "client_errors": {"()": "uprhub.core.logging.ClientErrorsWithoutTraceback"},
        "mask_tokens": {"()": "uprhub.core.logging.MaskTokens"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["client_errors", "mask_tokens"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_tokens"],
        },
    },
    "loggers": {
        "django.request": {"filters": ["client_errors", "mask_tokens"]},
        "django.security": {"filters": ["mask_tokens"]},
        # runserver's request lines: Django's own set-up, plus the mask.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["mask_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("UPRHUB_LOG_LEVEL", "WARNING")},
}

ALLOWED_HOSTS = env_list("UPRHUB_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])

# Which estimator the report builder's quality check uses for the action category: "model"
# (the shipped classifier, falling back to the rules when it is missing) or "rules".
UPRHUB_ACTION_CATEGORY_ESTIMATOR = env_str("UPRHUB_ACTION_CATEGORY_ESTIMATOR", "model")
UPRHUB_SUGGEST_ON_IMPORT = env_bool("UPRHUB_SUGGEST_ON_IMPORT", True)

# How "similar recommendations" are ranked: "tfidf" (the full-text engine, default) or
# "semantic" (sentence embeddings; needs the `semantic` extra, see uprhub/search/semantic.py).
UPRHUB_SIMILARITY = env_str("UPRHUB_SIMILARITY", "tfidf").strip().lower()

# Which sites may show a follow-up scorecard's embed page (/followup/<ISO3>/<cycle>/embed/)
# in a frame: CSP frame-ancestors sources, space-separated ("https://coalition.example
# https://*.partner.example", "'self'", "'none'" to allow none). Only that page: every other
# page stays unframeable (X-Frame-Options DENY, frame-ancestors 'none'). Default "*": the
# embed page is public, read-only and the same for everyone (no form, no session, its links
# open outside the frame), so framing it can trick nobody into an action, and partners can
# embed it without asking the operator first; list origins here to restrict it.
UPRHUB_EMBED_FRAME_ANCESTORS = env_str("UPRHUB_EMBED_FRAME_ANCESTORS", "*").split()
# A ";" or "," would end the directive and add others to the page's policy: refuse to start.
if any(re.search(r"[;,'\"]", s.strip("'")) for s in UPRHUB_EMBED_FRAME_ANCESTORS):
    raise ImproperlyConfigured(
        "UPRHUB_EMBED_FRAME_ANCESTORS takes CSP sources separated by spaces, e.g. "
        "\"https://coalition.example 'self'\" (no ';' or ',')"
    )
# How long a built follow-up scorecard is kept (per process, per data version: a publication
# shows at once); it bounds only what the data version cannot see. 0: build on every request.
UPRHUB_SCORECARD_CACHE_SECONDS = env_int("UPRHUB_SCORECARD_CACHE_SECONDS", 300)
