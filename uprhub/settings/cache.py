"""Caches. ``default``: per-process memory. ``pages``: the public pages' whole-page cache.

``pages`` (see uprhub/core/pagecache.py) is per-process memory too, on purpose: its keys carry
the data-version token read from the database on every request, so each worker process sees a
write at once without any shared cache to invalidate, and a hit costs one primary-key read and
a dictionary look-up. Measured on 2 cores with 5 worker processes (bench/http.py), a shared
file-based cache was slower per hit (a file read and unpickling per request) and a Redis server
is one more service to run; the price of memory is a copy per worker, bounded by MAX_ENTRIES
(public pages are 10–60 KB: at most ~30 MB a worker).
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
        "OPTIONS": {"MAX_ENTRIES": 500, "CULL_FREQUENCY": 4},
    },
}

# Seconds a cached public page may be served (it is dropped at once when the data change); 0
# turns the page cache off.
UPRHUB_PAGE_CACHE_SECONDS = env_int("UPRHUB_PAGE_CACHE_SECONDS", 60)
