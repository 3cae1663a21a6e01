"""Issue 12, point 4: the admin log-in is rate-limited, limits also count per target address,
and the counters live in a shared cache (database or Redis) that outlives a process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.urls import reverse

from tests.accounts.factories import PASSWORD, make_user
from tests.conftest import require_server
from uprhub.core import antispam

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def limits(settings, **rates: str) -> None:
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, **rates}


def test_admin_login_is_rate_limited(client, settings):
    limits(settings, login="3/5m")
    admin = make_user("admin", email="root@example.org", password=PASSWORD)
    url = reverse("admin:login")
    assert url == "/admin/login/"
    for _ in range(3):
        response = client.post(url, {"username": admin.email, "password": "guess-guess-1"})
        assert response.status_code == 200
    # Even the right password is refused once the limit is reached.
    response = client.post(url, {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session
    # Reading the page is not limited; another client is not affected.
    assert client.get(url).status_code == 200
    other = client.post(
        url, {"username": admin.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_admin_and_site_login_share_one_budget(client, settings):
    limits(settings, login="2/5m")
    for _ in range(2):
        client.post(reverse("accounts:login"), {"username": "x@example.org", "password": "n-o-1"})
    response = client.post(reverse("admin:login"), {"username": "x@example.org", "password": "n"})
    assert response.status_code == 429


def flood(client, url: str, data: dict, clients: int) -> list[int]:
    """The same form, sent once from each of `clients` different client addresses."""
    return [
        client.post(url, data, REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(1, clients + 1)
    ]


def test_signup_flood_for_one_address_from_many_clients_stops(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    limits(settings, signup="5/h", signup_address="3/h")
    data = {
        "full_name": "Target",
        "email": "Target@Example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    with django_capture_on_commit_callbacks(execute=True):
        statuses = flood(client, reverse("accounts:signup"), data, clients=6)
        # The same address however it is written.
        again = client.post(
            reverse("accounts:signup"),
            {**data, "email": "  target@EXAMPLE.org "},
            REMOTE_ADDR="203.0.113.50",
        )
    assert statuses == [302, 302, 302, 429, 429, 429]
    assert again.status_code == 429
    assert len(smtp_server.to("target@example.org")) == 3
    # Another address is not affected.
    other = client.post(
        reverse("accounts:signup"), {**data, "email": "other@example.org"}, REMOTE_ADDR="192.0.2.1"
    )
    assert other.status_code == 302


def test_password_reset_flood_for_one_address_from_many_clients_stops(
    client, settings, smtp_server, django_capture_on_commit_callbacks
):
    limits(settings, password_reset="5/h", password_reset_address="3/h")
    make_user(email="victim@example.org", password=PASSWORD)
    # Mail leaves through the outbox once the request's transaction has committed.
    with django_capture_on_commit_callbacks(execute=True):
        statuses = flood(
            client, reverse("accounts:password_reset"), {"email": "victim@example.org"}, clients=5
        )
    assert statuses == [302, 302, 302, 429, 429]
    assert len(smtp_server.to("victim@example.org")) == 3


def test_application_flood_for_one_address_from_many_clients_stops(
    client, settings, themes, smtp_server, django_capture_on_commit_callbacks
):
    limits(settings, apply="5/h", apply_address="2/h")
    data = {
        "name": "Someone",
        "email": "inbox@example.org",
        "themes": [themes["Right to housing"].pk],
        "experience": "some",
        "motivation": "Flood.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        statuses = flood(client, reverse("coalition:apply"), data, clients=4)
    assert statuses == [302, 302, 429, 429]
    assert len(smtp_server.to("inbox@example.org")) == 2


def forget_cache_objects() -> None:
    """What a new process starts with: no cache objects (connections) built yet."""
    from asgiref.local import Local

    caches.close_all()
    caches._connections = Local(caches.thread_critical)


def test_counters_are_not_in_process_memory(settings):
    """Clearing every in-process cache (a restart) forgets nothing."""
    rate = "2/30d"
    assert [antispam.hit("login", "192.0.2.77", rate) for _ in range(2)] == [False, False]
    caches["default"].clear()  # process memory: the local-memory cache…
    forget_cache_objects()  # …and every cache object
    assert antispam.hit("login", "192.0.2.77", rate) is True
    assert caches["ratelimit"].__class__.__name__ in {"DatabaseCache", "RedisCache"}


HIT_SCRIPT = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", "core", verbosity=0)  # what first start does (the cache table)
    from uprhub.core.antispam import hit
    print(sum(hit("signup", "192.0.2.8", "3/30d") for _ in range(int(sys.argv[1]))))
    """
)


def test_counters_hold_across_processes(tmp_path):
    """Two separate processes on one data directory count together."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "UPRHUB_REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="uprhub.settings",
        UPRHUB_DATA_DIR=str(tmp_path),
        UPRHUB_AUTOLOAD="false",
        UPRHUB_SECRET_KEY="test-only",
    )

    def run(attempts: int) -> int:
        result = subprocess.run(
            [sys.executable, "-c", HIT_SCRIPT, str(attempts)],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return int(result.stdout.strip().splitlines()[-1])

    assert run(3) == 0  # three attempts: none over the limit
    assert run(1) == 1  # a new process: the fourth is over


@pytest.fixture
def redis_ratelimit(settings):
    require_server("Redis", "127.0.0.1", 6379)
    import redis

    server = redis.Redis.from_url("redis://127.0.0.1:6379/1")
    server.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
            "KEY_PREFIX": "uprhub",
        },
    }
    yield server
    server.flushdb()


def test_redis_counters(client, settings, redis_ratelimit):
    limits(settings, signup="2/h")
    data = {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD}
    url = reverse("accounts:signup")
    statuses = [
        client.post(url, {**data, "email": f"r{n}@example.org"}).status_code for n in (1, 2, 3)
    ]
    assert statuses == [302, 302, 429]
    assert get_user_model().objects.filter(email__startswith="r").count() == 2
    # The counters are in Redis (db 1), where every process sees them…
    assert redis_ratelimit.keys("uprhub:*:rl:signup:*")
    # …and a fresh connection (a new process) still counts them.
    forget_cache_objects()
    assert client.post(url, {**data, "email": "r4@example.org"}).status_code == 429


def test_redis_setting_selects_redis(monkeypatch):
    import importlib

    from uprhub.settings import cache as cache_settings

    monkeypatch.setenv("UPRHUB_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        reloaded = importlib.reload(cache_settings)
        assert reloaded.CACHES["ratelimit"]["BACKEND"].endswith("RedisCache")
        assert reloaded.CACHES["ratelimit"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    finally:
        monkeypatch.delenv("UPRHUB_REDIS_URL")
        reloaded = importlib.reload(cache_settings)
    assert reloaded.CACHES["ratelimit"]["BACKEND"].endswith("DatabaseCache")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_cannot_share_a_count():
    """Eight simultaneous attempts against a limit of three: exactly three get through (the
    database cache's get-then-set `incr` would let several read the same count).

    PostgreSQL only: there writers really run side by side. SQLite serialises every write
    (IMMEDIATE transactions), and its in-memory shared-cache test database answers a waiting
    thread with "database table is locked" instead of waiting as the real file does."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(8)
    results: list[bool] = []

    def attempt() -> None:
        try:
            barrier.wait()
            results.append(antispam.hit("signup", "192.0.2.99", "3/30d"))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 3 + [True] * 5


def test_the_counters_keep_no_hash_anyone_could_check_an_address_against(settings):
    # A plain SHA-256 of an IPv4 address is reversed by trying all of them: the counters'
    # keys are keyed with the secret key instead.
    import hashlib

    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        antispam.RATELIMIT_CACHE: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache = caches[antispam.RATELIMIT_CACHE]
    cache.clear()
    antispam.hit("login", "192.0.2.55", "5/h")
    keys = list(cache._cache.keys())  # locmem keeps the made keys
    assert keys
    plain = hashlib.sha256(b"192.0.2.55").hexdigest()[:32]
    assert not any(plain in key for key in keys)
    assert hashlib.sha256(b"a@example.org").hexdigest() not in antispam.target_key("a@example.org")
