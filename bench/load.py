"""Throughput and latency of the public pages under `uprhub serve`, with memory per process.

Starts the real `uprhub serve` on a free loopback port (SQLite with the bundled data, prepared
once in a temporary directory or --data-dir; PostgreSQL with --database postgres://…), warms
it up, then for each public page keeps --clients connections busy (keep-alive, one request at
a time each) for --seconds, and reports requests/s, p50/p99 latency and errors, plus the static
CSS file for reference and each server process's memory (RSS, PSS, USS from
/proc/PID/smaps_rollup). Prints JSON.

Bounded and local: it talks to 127.0.0.1 only, each run stops after --seconds or --max-requests,
and the server is stopped at the end. The load generator is a small asyncio client on the same
cores as the server; its own CPU time is reported ("client_cpu_s") — figures on a machine with
more cores, or with the client elsewhere, are higher.

Target (issue 12, point 15): ≥ 300 requests/s, p99 ≤ 250 ms, 0 errors at 50 clients on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _procs import children, cpu_seconds, free_port

ROOT = Path(__file__).resolve().parent.parent
UPRHUB = str(ROOT / ".venv" / "bin" / "uprhub")
HOST = "127.0.0.1"
# Words common in the bundled data (each has at least 5 pages of results).
UNCACHED_WORDS = (
    "rights", "women", "torture", "children", "police", "water", "health", "education",
    "violence", "discrimination", "migrants", "prison", "racial", "disabilities", "indigenous",
    "detention", "freedom", "religion", "expression", "poverty", "housing", "gender", "girls",
    "trafficking", "refugees", "minorities", "justice", "labour", "elections", "corruption",
)  # fmt: skip


def _memory(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private pages) in MB: with fork, shared pages count in RSS for each
    process, in PSS shared out among them, and not at all in USS."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, _, value = line.partition(":")
        fields[key] = int(value.split()[0])
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {
        "rss_mb": round(fields["Rss"] / 1024, 1),
        "pss_mb": round(fields["Pss"] / 1024, 1),
        "uss_mb": round(uss / 1024, 1),
    }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    length, close, chunked = None, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            close = value == "close"
        elif name == "transfer-encoding":
            chunked = "chunked" in value
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:
        await reader.read()
        close = True
    return status, close


async def _load(port: int, paths: list[str], clients: int, seconds: float, max_requests: int):
    latencies: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + seconds
    counter = 0

    async def client(offset: int) -> None:
        nonlocal errors, counter
        reader = writer = None
        i = offset
        while time.perf_counter() < deadline and counter < max_requests:
            counter += 1
            path = paths[i % len(paths)]
            i += clients
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept-Language: en\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(HOST, port)
                writer.write(request)
                status, close = await asyncio.wait_for(_read_response(reader), 30)
            except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError):
                errors += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                errors += 1
            if close:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0.0
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def _first_id(port: int) -> int:
    url = f"http://{HOST}:{port}/api/recommendations?state=USA&page_size=1"
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (loopback)
        return json.load(response)["results"][0]["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--data-dir", help="an already prepared UPRHUB_DATA_DIR")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--workers", type=int, help="passed to `uprhub serve`")
    parser.add_argument("--threads", type=int, help="passed to `uprhub serve`")
    parser.add_argument("--only", help="comma-separated page names to run")
    parser.add_argument("--uprhub", default=UPRHUB, help="the uprhub command (another install)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "UPRHUB_DATA_DIR": args.data_dir or tmp}
        env.pop("DATABASE_URL", None)
        if args.database:
            env["DATABASE_URL"] = args.database
        port = free_port()
        cmd = [args.uprhub, "serve", "--host", HOST, "--port", str(port), "--no-worker"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        prepare_started = time.perf_counter()
        server = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()  # "UPR Hub is running at …", after first-run prep
            if "running" not in line:
                raise SystemExit(f"the server did not start: {line!r}")
            prepare_s = time.perf_counter() - prepare_started
            rec_id = _first_id(port)
            pages = {
                "home": ["/"],
                "explorer": ["/recommendations/"],
                "explorer_query": ["/recommendations/?q=death+penalty&state=USA"],
                "state": ["/states/USA/"],
                "recommendation": [f"/recommendations/{rec_id}/"],
                "api": ["/api/recommendations?q=torture&state=USA"],
                # Every request a different URL: the page cache cannot help (the worst case; the
                # search layer's own caches still can, as for real visitors paging through).
                "explorer_uncached": [
                    f"/recommendations/?q={UNCACHED_WORDS[n % len(UNCACHED_WORDS)]}"
                    f"&page={1 + n // len(UNCACHED_WORDS) % 5}&n={n}"
                    for n in range(args.max_requests + 2000)
                ],
                "static_css": ["/static/uprhub/css/site.css"],
            }
            if args.only:
                wanted = set(args.only.split(","))
                pages = {k: v for k, v in pages.items() if k in wanted}
            results: dict[str, object] = {}
            before = resource.getrusage(resource.RUSAGE_SELF)
            for name, paths in pages.items():
                # Warm-up: each worker loads its code paths and its copy of the page.
                asyncio.run(_load(port, paths, args.clients, 2.0, 2000))
                pids = [server.pid, *children(server.pid)]
                cpu_before = cpu_seconds(pids)
                # Measured from the middle of the list: the warm-up used its beginning.
                measured = paths[len(paths) // 2 :] + paths[: len(paths) // 2]
                figures = asyncio.run(
                    _load(port, measured, args.clients, args.seconds, args.max_requests)
                )
                served = max(1, figures["requests"])
                cpu_ms = (cpu_seconds(pids) - cpu_before) * 1000 / served
                # What the server alone could do with every core (load-independent): on a busy
                # machine requests/s above falls short of it.
                figures["server_cpu_ms_per_request"] = round(cpu_ms, 2)
                figures["capacity_req_s_all_cores"] = round((os.cpu_count() or 1) * 1000 / cpu_ms)
                results[name] = figures
            after = resource.getrusage(resource.RUSAGE_SELF)
            processes = {"master": _memory(server.pid)}
            for n, child in enumerate(children(server.pid)):
                processes[f"worker_{n + 1}"] = _memory(child)
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
        out = {
            "database": "postgresql" if args.database else "sqlite",
            "clients": args.clients,
            "seconds_per_page": args.seconds,
            "server_start_s": round(prepare_s, 1),
            "pages": results,
            "memory": processes,
            "client": "asyncio, keep-alive, same machine",
            "client_cpu_s": round(
                (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1
            ),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
            "python": sys.version.split()[0],
        }
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
