"""Resident memory of a running `uprhub serve` with the bundled data loaded.

Prepares a fresh data directory (migrations + bundled data) in one process, then starts the
server, exercises the main pages and reports the server's current and peak RSS as JSON.
Target (issue "Foundation and Know"): ≤ 250 MB RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPRHUB = ROOT / ".venv" / "bin" / "uprhub"

PATHS = [
    "/",
    "/recommendations/",
    "/recommendations/?q=death+penalty",
    "/recommendations/?q=women&cycle=1&position=supported",
    "/states/USA/",
    "/api/recommendations?q=torture&state=USA",
    "/recommendations/export.csv?state=USA",
    "/recommendations/export.xlsx?state=USA",
]


def _status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            fields[key] = int(value.split()[0]) // 1024
    return fields


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "UPRHUB_DATA_DIR": tmp}
        env.pop("DATABASE_URL", None)
        started = time.perf_counter()
        subprocess.run(
            [str(UPRHUB), "manage", "migrate", "-v", "0"], env=env, check=True, capture_output=True
        )
        subprocess.run(
            [str(UPRHUB), "manage", "load_bundled_data", "-v", "0"],
            env=env,
            check=True,
            capture_output=True,
        )
        prepare_s = time.perf_counter() - started
        port = _free_port()
        server = subprocess.Popen(
            [str(UPRHUB), "serve", "--port", str(port), "--no-worker"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            server.stdout.readline()  # "UPR Hub is running at …"
            idle = _status(server.pid)
            for _ in range(args.rounds):
                for path in PATHS:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as r:
                        r.read()
            busy = _status(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(
        json.dumps(
            {
                "bench": "server_memory",
                "prepare_seconds": round(prepare_s, 1),
                "rss_idle_mb": idle["VmRSS"],
                "rss_after_requests_mb": busy["VmRSS"],
                "peak_rss_mb": busy["VmHWM"],
                "target_mb": 250,
                "python": sys.version.split()[0],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
