"""Caches.

* ``default``: per-process memory, for things any process can recompute.
* ``ratelimit``: the public forms' attempt counters (uprhub.core.antispam). They must be
  shared by every serving process and survive a restart, or a limit is multiplied by the
  number of processes and reset by each deployment. By default a table in the application's
  database (Django's DatabaseCache; created by `migrate` and on first start); with
  UPRHUB_REDIS_URL set, Redis.
* ``pages``: the public pages' whole-page cache (see uprhub/core/pagecache.py), per-process
  memory on purpose: its keys carry the data-version token read from the database on every
  request, so every worker process sees a write at once without a shared cache to invalidate,
  and a hit costs one primary-key read and a dictionary look-up (about 0.25 ms of CPU in all,
  measured in-process). A shared cache (files, the database, Redis) would cost a read of the
  page from outside the process on every hit, or one more service to run, to save each worker
  rendering a page once per data version. The price is a copy per worker, bounded by
  MAX_ENTRIES (public pages are 7–100 KB: at most ~25 MB each).
"""

from .env import env_int, env_str

UPRHUB_REDIS_URL = env_str("UPRHUB_REDIS_URL").strip()

#: The table behind the database rate-limit cache (see uprhub/core/migrations).
RATELIMIT_CACHE_TABLE = "uprhub_ratelimit_cache"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "uprhub",
    },
    "ratelimit": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UPRHUB_REDIS_URL,
            "KEY_PREFIX": "uprhub",
        }
        if UPRHUB_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": RATELIMIT_CACHE_TABLE,
            # Counters expire on their own; culling a full table would forget live ones.
            "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 10},
        }
    ),
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "uprhub-pages",
        "OPTIONS": {"MAX_ENTRIES": 250, "CULL_FREQUENCY": 4},
    },
}

# Seconds a cached public page may be served (it is dropped at once when the data change); 0
# turns the page cache off.
UPRHUB_PAGE_CACHE_SECONDS = env_int("UPRHUB_PAGE_CACHE_SECONDS", 60)
