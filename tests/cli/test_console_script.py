"""The installed `uprhub` script end to end: first run from any directory, search, serve.

These start real processes on a fresh SQLite data directory (the embedded default), so they
run in the SQLite pass of the suite only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import using_postgres

UPRHUB = shutil.which("uprhub", path=str(Path(sys.executable).parent))

pytestmark = [
    pytest.mark.skipif(using_postgres(), reason="first-run test uses the embedded SQLite default"),
    pytest.mark.skipif(
        UPRHUB is None, reason="the uprhub script is not installed (pip install -e .)"
    ),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("anywhere")


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return clean


@pytest.fixture(scope="module")
def first_search(workdir, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [UPRHUB, "search", "death penalty", "--state", "USA", "--format", "json"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_search_works_right_after_installation(first_search, workdir):
    assert first_search.returncode == 0, first_search.stderr
    body = json.loads(first_search.stdout)
    assert body["total"] > 0
    assert all(r["state"] == "USA" for r in body["results"])
    assert "Loading the bundled UPR data" in first_search.stderr
    assert (workdir / "var" / "uprhub.sqlite3").exists()


def test_second_run_does_not_reload(first_search, workdir, env):
    again = subprocess.run(
        [UPRHUB, "search", "--state", "USA", "--cycle", "3", "--format", "json", "--limit", "1"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "Loading" not in again.stderr
    assert json.loads(again.stdout)["total"] == 347  # the US 3rd-cycle list


def test_import_of_a_bad_file_fails_cleanly(first_search, workdir, env):
    bad = workdir / "bad.csv"
    bad.write_text("To,Text\nFrance,Do something\n", encoding="utf-8")
    result = subprocess.run(
        [UPRHUB, "import", "uprinfo", str(bad)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "bad.csv" in result.stderr


def test_serve_prints_its_url_and_answers(first_search, workdir, env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [UPRHUB, "serve", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline()
        assert f"http://localhost:{port}/" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
            assert "UPR Hub" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)  # gunicorn lets kept-alive connections finish first


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_serve_runs_several_worker_processes_and_caches_pages(first_search, workdir, env):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [UPRHUB, "serve", "--port", str(port), "--workers", "3", "--no-worker"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert f"http://localhost:{port}/" in server.stdout.readline()
        # The port is bound (and announced) before the workers are forked.
        children_file = Path(f"/proc/{server.pid}/task/{server.pid}/children")
        deadline = time.monotonic() + 30
        while len(children := children_file.read_text().split()) < 3:
            assert time.monotonic() < deadline, children
            time.sleep(0.2)
        assert len(children) == 3
        for child in children:
            assert "serve" in Path(f"/proc/{child}/cmdline").read_text()
        seen = []
        for _ in range(30):  # new connections are spread over the workers: each fills its copy
            url = f"http://127.0.0.1:{port}/recommendations/?q=death+penalty"
            with urllib.request.urlopen(url, timeout=30) as response:
                assert response.status == 200
                assert "data-result-count=" in response.read().decode()
                assert response.headers["Set-Cookie"] is None
                seen.append(response.headers["X-Page-Cache"])
            if "hit" in seen:
                break
        assert seen[0] == "miss"
        assert "hit" in seen
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not any(Path(f"/proc/{child}").exists() for child in children)
