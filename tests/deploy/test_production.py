"""The documented production settings: `check --deploy` is clean with them, they are read
from the environment as documented, and a fresh data directory is private.

These start real `uprhub` processes (settings are read once, at start).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
UPRHUB = shutil.which("uprhub", path=str(Path(sys.executable).parent))
needs_script = pytest.mark.skipif(
    UPRHUB is None, reason="the uprhub script is not installed (pip install -e .)"
)


def documented_production_env() -> dict[str, str]:
    """The variables of README's production file (the ```ini block of /etc/uprhub/uprhub.env)."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```ini\n(# /etc/uprhub/uprhub\.env[^\n]*\n.*?)```", readme, re.DOTALL)
    assert block, "README.md lost its production settings file"
    variables = {}
    for line in block[1].splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name.strip()] = value.strip()
    # A secret the reader makes themself is written as "<…>": make one, as they would.
    for name, value in variables.items():
        if value.startswith("<") and value.endswith(">"):
            assert name == "UPRHUB_CONSULTATION_KEYS", f"{name}: no way to make {value}"
            from cryptography.fernet import Fernet

            variables[name] = Fernet.generate_key().decode()
    return variables


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("UPRHUB_", "DATABASE_URL", "DJANGO_", "PYTEST_"))
    }
    env.update(extra)
    env.setdefault("UPRHUB_DATA_DIR", str(tmp_path / "data"))
    return env


def uprhub(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [UPRHUB, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_every_documented_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    missing = [name for name in documented_production_env() if f"# {name}=" not in example]
    assert missing == []


@needs_script
def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    production = documented_production_env()
    # The database itself is not examined by `check --deploy`; keep the run self-contained.
    production["DATABASE_URL"] = f"sqlite:///{tmp_path / 'uprhub.sqlite3'}"
    production["UPRHUB_DATA_DIR"] = str(tmp_path / "data")
    env = clean_env(tmp_path, **production)

    result = uprhub("manage", "check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "?: (" not in output, output
    assert "System check identified no issues" in output

    # And the variables became the settings the README says they are.
    shown = uprhub(
        "manage",
        "shell",
        "-c",
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'UPRHUB_SITE_URL', 'DEBUG']}))",
        env=env,
        cwd=tmp_path,
    )
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "UPRHUB_SITE_URL": "https://upr.example.org",
        "DEBUG": False,
    }


@needs_script
def test_check_deploy_warns_with_the_development_defaults(tmp_path):
    """The control: with nothing set, the same command does report the problems."""
    (tmp_path / "open").mkdir(mode=0o755)
    (tmp_path / "open").chmod(0o755)
    env = clean_env(tmp_path, UPRHUB_DATA_DIR=str(tmp_path / "open"))
    result = uprhub("manage", "check", "--deploy", env=env, cwd=tmp_path)
    output = result.stdout + result.stderr
    for warning in (
        "security.W004",
        "security.W008",
        "uprhub.W001",
        "uprhub.W003",
        "uprhub.W004",
    ):
        assert warning in output, output


@needs_script
def test_a_fresh_data_directory_is_private(tmp_path):
    data = tmp_path / "new" / "data"
    env = clean_env(tmp_path, UPRHUB_DATA_DIR=str(data), UPRHUB_AUTOLOAD="false")
    # A permissive umask, as on many servers: the modes must not depend on it.
    old = os.umask(0o022)
    try:
        assert uprhub("manage", "migrate", "-v", "0", env=env, cwd=tmp_path).returncode == 0
        # While a connection is open, SQLite's -wal and -shm files exist: list them then.
        listing = uprhub(
            "manage",
            "shell",
            "-c",
            "import os, stat; from django.contrib.auth.models import User; User.objects.count();"
            f"print({{f: oct(stat.S_IMODE(os.stat(os.path.join({str(data)!r}, f)).st_mode)) "
            f"for f in os.listdir({str(data)!r})}})",
            env=env,
            cwd=tmp_path,
        )
    finally:
        os.umask(old)
    assert listing.returncode == 0, listing.stderr
    modes = eval(listing.stdout.strip().splitlines()[-1])  # noqa: S307 (our own dict repr)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert {"uprhub.sqlite3", "secret_key"} <= modes.keys()
    assert {"uprhub.sqlite3-wal", "uprhub.sqlite3-shm"} <= modes.keys()
    assert {name: mode for name, mode in modes.items() if mode != "0o600"} == {}


def test_an_existing_database_file_is_tightened(tmp_path, settings):
    """An installation from before: its database file (and WAL) were 0644."""
    from django.db import connections

    from uprhub.core.files import make_sqlite_files_private

    database = tmp_path / "old.sqlite3"
    for suffix in ("", "-wal"):
        Path(f"{database}{suffix}").write_bytes(b"")
        Path(f"{database}{suffix}").chmod(0o644)

    class Connection:
        vendor = "sqlite"
        settings_dict = {"NAME": str(database)}

    make_sqlite_files_private(sender=None, connection=Connection())
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(f"{database}-wal").stat().st_mode) == 0o600
    assert connections  # (the real signal is connected in uprhub.core.apps)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("X-Forwarded-Proto: https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("x-forwarded-ssl:on", ("HTTP_X_FORWARDED_SSL", "on")),
        ("", None),
    ],
)
def test_proxy_ssl_header(monkeypatch, raw, parsed):
    from uprhub.settings.env import env_proxy_ssl_header

    monkeypatch.setenv("UPRHUB_PROXY_SSL_HEADER", raw)
    assert env_proxy_ssl_header("UPRHUB_PROXY_SSL_HEADER") == parsed


@pytest.mark.parametrize("raw", ["https", "X-Forwarded-Proto:", "X Forwarded: https"])
def test_a_malformed_proxy_ssl_header_stops_the_start(monkeypatch, raw):
    from uprhub.settings.env import env_proxy_ssl_header

    monkeypatch.setenv("UPRHUB_PROXY_SSL_HEADER", raw)
    with pytest.raises(ImproperlyConfigured, match="X-Forwarded-Proto: https"):
        env_proxy_ssl_header("UPRHUB_PROXY_SSL_HEADER")


def test_processes_starting_together_share_one_secret_key(tmp_path):
    """The first start of `uprhub serve` and its worker (or several servers) at once."""
    data = tmp_path / "data"
    env = clean_env(tmp_path, UPRHUB_DATA_DIR=str(data))
    code = "import uprhub.settings.security as s; print(s.SECRET_KEY)"
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, cwd=tmp_path, stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    keys = {process.communicate(timeout=60)[0].strip() for process in starts}
    assert len(keys) == 1 and len(next(iter(keys))) >= 50
    assert (data / "secret_key").read_text() == next(iter(keys))
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600
    assert sorted(p.name for p in data.iterdir()) == ["secret_key"]  # no temporary left
