"""Full exports under load: does the home page keep answering while 8 are requested at once?

    .venv/bin/python bench/exports.py                       # fresh temporary data dir (slow start)
    .venv/bin/python bench/exports.py --data-dir var/bench  # kept between runs (prepared once)

Prepares a data directory with the bundled data (SQLite), starts the real server
(`uprhub serve` on a free port, no worker), empties the export cache, then:

1. measures the home page alone (baseline);
2. fires ``--clients`` full exports at once (every recommendation; half CSV, half XLSX unless
   ``--format`` says otherwise) and, while they run, requests the home page every 100 ms;
3. fires the same exports again (now served from the export cache).

Prints one JSON object: per round the exports' status codes, sizes and times, and the home
page's latency (p50, p95, max, and how many requests took 500 ms or more) during the round.
Target (issue 12, point 13): the home page answers in under 500 ms while the exports run
(``meets_target`` compares the p95).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPRHUB = ROOT / ".venv" / "bin" / "uprhub"
TARGET_MS = 500


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 600) -> tuple[int, int, float]:
    """(status, bytes, seconds) of one GET."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            size = 0
            while block := response.read(1 << 16):
                size += len(block)
            return response.status, size, time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, 0, time.perf_counter() - started


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _latency(values: list[float]) -> dict[str, float | int]:
    ms = [v * 1000 for v in values]
    return {
        "requests": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(_percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
        "over_target": sum(v >= TARGET_MS for v in ms),
    }


def _round(base: str, formats: list[str]) -> dict:
    """All exports at once, and the home page probed every 100 ms until they are done."""
    results: list[tuple[str, int, int, float]] = []
    lock = threading.Lock()

    def export(fmt: str) -> None:
        status, size, seconds = _get(f"{base}/recommendations/export.{fmt}")
        with lock:
            results.append((fmt, status, size, seconds))

    threads = [threading.Thread(target=export, args=(fmt,)) for fmt in formats]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    home: list[float] = []
    errors = 0
    time.sleep(0.05)
    while any(t.is_alive() for t in threads):
        status, _size, seconds = _get(f"{base}/", timeout=60)
        if status == 200:
            home.append(seconds)
        else:
            errors += 1
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    statuses: dict[str, int] = {}
    for _fmt, status, _size, _seconds in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    done = [r for r in results if r[1] == 200]
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "exports": len(results),
        "statuses": statuses,
        "export_seconds_max": round(max((r[3] for r in done), default=0), 2),
        "export_seconds_min": round(min((r[3] for r in done), default=0), 2),
        "export_mb": sorted({round(r[2] / 1e6, 1) for r in done}),
        "refused_seconds_max": round(max((r[3] for r in results if r[1] != 200), default=0), 3),
        "home_page": _latency(home) if home else {"requests": 0},
        "home_page_errors": errors,
    }


def _prepare(env: dict[str, str], data_dir: Path) -> float:
    started = time.perf_counter()
    if not (data_dir / "uprhub.sqlite3").exists():
        for command in (["migrate", "-v", "0"], ["load_bundled_data", "-v", "0"]):
            subprocess.run(
                [str(UPRHUB), "manage", *command], env=env, check=True, capture_output=True
            )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="data directory to use (prepared if empty)")
    parser.add_argument("--clients", type=int, default=8, help="parallel full exports")
    parser.add_argument("--format", choices=["csv", "xlsx", "mixed"], default="mixed")
    args = parser.parse_args()

    scratch = None
    if args.data_dir:
        data_dir = Path(args.data_dir).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
    else:
        scratch = tempfile.TemporaryDirectory(prefix="uprhub-bench-exports-")
        data_dir = Path(scratch.name)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["UPRHUB_DATA_DIR"] = str(data_dir)
    env.setdefault("UPRHUB_LOG_LEVEL", "ERROR")
    try:
        prepare_s = _prepare(env, data_dir)
        shutil.rmtree(data_dir / "cache" / "exports", ignore_errors=True)  # a cold start
        port = _free_port()
        server = subprocess.Popen(
            [str(UPRHUB), "serve", "--port", str(port), "--no-worker"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            assert server.stdout is not None
            server.stdout.readline()  # "UPR Hub is running at …"
            for _ in range(3):  # warm up: facet index, templates
                _get(f"{base}/")
            baseline = [_get(f"{base}/")[2] for _ in range(20)]
            if args.format == "mixed":
                formats = ["csv", "xlsx"] * (args.clients // 2) + ["csv"] * (args.clients % 2)
            else:
                formats = [args.format] * args.clients
            cold = _round(base, formats)
            warm = _round(base, formats)
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        if scratch is not None:
            scratch.cleanup()
    worst = max(
        cold["home_page"].get("p95_ms", 0),
        warm["home_page"].get("p95_ms", 0),
    )
    print(
        json.dumps(
            {
                "bench": "exports",
                "database": "sqlite",
                "prepare_seconds": round(prepare_s, 1),
                "clients": args.clients,
                "formats": formats,
                "home_page_alone": _latency(baseline),
                "cold_cache": cold,
                "warm_cache": warm,
                "target_home_ms": TARGET_MS,
                "home_page_p95_ms": worst,
                "meets_target": worst < TARGET_MS
                and not cold["home_page_errors"]
                and not warm["home_page_errors"],
                "cpus": os.cpu_count(),
                "python": sys.version.split()[0],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
