"""Database: SQLite file in the data directory unless DATABASE_URL says otherwise."""

import dj_database_url

from .env import data_dir, env_str

_default_sqlite = f"sqlite:///{data_dir() / 'uprhub.sqlite3'}"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        conn_max_age=60,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (web, search) proceed while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
