"""Caches.

* ``default``: per-process memory, for things any process can recompute.
* ``ratelimit``: the public forms' attempt counters (uprhub.core.antispam). They must be
  shared by every serving process and survive a restart, or a limit is multiplied by the
  number of processes and reset by each deployment. By default a table in the application's
  database (Django's DatabaseCache; created by `migrate` and on first start); with
  UPRHUB_REDIS_URL set, Redis.

Other aliases (a page cache…) go beside these.
"""

from .env import env_str

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
}
