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
    # WAL lets readers (web, search) proceed while an import writes. secure_delete zeroes
    # deleted content, so a withdrawn testimony is gone from the file, not just unlinked.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Connections are kept between requests, as on PostgreSQL (conn_max_age above): opening one
    # runs the PRAGMAs above and cost ~2 ms of the ~3 ms a cached page takes. With WAL, an idle
    # connection holds no lock and sees every commit at its next statement.
