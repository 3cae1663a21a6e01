"""Caches. ``default``: per-process memory. ``pages``: the public pages' whole-page cache.

``pages`` (see uprhub/core/pagecache.py) is per-process memory too, on purpose: its keys carry
the data-version token read from the database on every request, so every worker process sees
a write at once without a shared cache to invalidate, and a hit costs one primary-key read and
a dictionary look-up (about 0.25 ms of CPU in all, measured in-process). A shared cache (files,
the database, Redis) would cost a read of the page from outside the process on every hit, or
one more service to run, to save each worker rendering a page once per data version. The price
is a copy per worker, bounded by MAX_ENTRIES (public pages are 7–100 KB: at most ~25 MB each).
"""

from .env import env_int

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "uprhub",
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "uprhub-pages",
        "OPTIONS": {"MAX_ENTRIES": 250, "CULL_FREQUENCY": 4},
    },
}

# Seconds a cached public page may be served (it is dropped at once when the data change); 0
# turns the page cache off.
UPRHUB_PAGE_CACHE_SECONDS = env_int("UPRHUB_PAGE_CACHE_SECONDS", 60)
