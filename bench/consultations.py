"""Many people giving testimony at once: the public form of a consultation under `uprhub serve`.

Starts the real `uprhub serve` on a free loopback port (SQLite in a temporary data directory,
or PostgreSQL with --database postgres://…), loads the reference data (States and reviews;
the bundled recommendations are not needed here, so UPRHUB_AUTOLOAD is off), creates a
consultation with `uprhub consultations create`, then keeps --clients submitters busy for
--seconds. Each submitter, like a person on a phone: GETs the form (for its CSRF cookie and
token), waits --think-ms (0: as fast as the server answers), POSTs a testimony (a third of them
with a name, e-mail and phone; texts with personal data for the redaction to find) and checks
that the answer is the receipt with a code. At the end the testimonies stored for the
consultation are counted: every receipt must be a row ("lost": receipts without a row).
Prints JSON.

The rate limits stay on, as deployed: every submission comes from its own address, told by a
trusted proxy (UPRHUB_TRUSTED_PROXIES=1, one X-Forwarded-For address per request, so the
per-address counters are written as for real people), not by raising any limit.

Bounded and local: 127.0.0.1 only, the server is stopped at the end. The client is a small
asyncio HTTP/1.1 client (keep-alive, one request at a time per submitter) on the same cores as
the server; its CPU time is reported ("client_cpu_s").

Targets (issue 14): 50 submitters for 60 s, 0 errors, 0 lost, p95 ≤ 300 ms, on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from _procs import children, cpu_seconds, free_port

ROOT = Path(__file__).resolve().parent.parent
UPRHUB = str(ROOT / ".venv" / "bin" / "uprhub")
HOST = "127.0.0.1"
CODE = re.compile(rb'id="receipt-code"><strong>([A-Z0-9-]+)</strong>')
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
TEXTS = (
    "The police stop my son every day on the way to school. Call me at (412) 555-{n:04d}.",
    "Our landlord cut the water for six weeks at 1834 Wylie Avenue; nobody came.",
    "My sister Maria was refused a shelter bed because she has no papers. mail: p{n}@example.org",
    "The county jail keeps people in cells without light for weeks.",
    "Wages were not paid for three months at the plant and the union was threatened.",
)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]], bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    headers: list[tuple[str, str]] = []
    length, chunked = None, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip()
        headers.append((name, value))
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value.lower()
    if chunked:
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            parts.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                break
        body = b"".join(parts)
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()
    return status, headers, body


class Figures:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {"get": [], "post": []}
        self.errors = 0
        self.error_kinds: dict[str, int] = {}
        self.receipts: set[bytes] = set()
        self.statuses: dict[int, int] = {}

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def _submitters(
    port: int, slug: str, clients: int, seconds: float, think: float, figures: Figures, first: int
) -> float:
    deadline = time.perf_counter() + seconds
    counter = first
    form_path = f"/listen/{slug}/give/"

    async def submitter() -> None:
        nonlocal counter
        reader = writer = None

        async def call(method: str, headers: dict[str, str], body: bytes = b""):
            nonlocal reader, writer
            if writer is None:
                reader, writer = await asyncio.open_connection(HOST, port)
            lines = [f"{method} {form_path} HTTP/1.1", f"Host: {HOST}:{port}"]
            lines += [f"{k}: {v}" for k, v in headers.items()]
            if body:
                lines.append(f"Content-Length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            started = time.perf_counter()
            status, got, content = await asyncio.wait_for(_read_response(reader), 30)
            figures.latencies[method.lower()].append(time.perf_counter() - started)
            figures.statuses[status] = figures.statuses.get(status, 0) + 1
            if any(k == "connection" and v.lower() == "close" for k, v in got):
                writer.close()
                reader = writer = None
            return status, got, content

        while time.perf_counter() < deadline:
            counter += 1
            n = counter
            try:
                status, got, page = await call("GET", {"Accept-Language": "en"})
                cookie = next(
                    (v.split(";")[0] for k, v in got if k == "set-cookie" and "csrftoken=" in v),
                    None,
                )
                token = TOKEN.search(page)
                if status != 200 or cookie is None or token is None:
                    figures.error(f"form_{status}")
                    continue
                if think:
                    await asyncio.sleep(think)
                fields = {
                    "csrfmiddlewaretoken": token.group(1).decode(),
                    "text": TEXTS[n % len(TEXTS)].format(n=n % 10_000),
                    "language": "en",
                    "quote_anonymously": "on",
                    "contact_website": "",
                }
                if n % 3 == 0:
                    fields |= {
                        "name": f"Person {n}",
                        "email": f"person{n}@example.net",
                        "phone": f"+1 412 555 {n % 10_000:04d}",
                    }
                body = urllib.parse.urlencode(fields).encode()
                # Each submission from its own address (a trusted proxy says which): the rate
                # limits count per person as deployed, not one loopback address for everyone.
                address = f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"
                status, _got, answer = await call(
                    "POST",
                    {
                        "Accept-Language": "en",
                        "Cookie": cookie,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "X-Forwarded-For": address,
                    },
                    body,
                )
                code = CODE.search(answer)
                if status != 200 or code is None:
                    figures.error(f"post_{status}")
                    continue
                figures.receipts.add(code.group(1))
            except (TimeoutError, OSError, ConnectionError, asyncio.IncompleteReadError) as error:
                figures.error(type(error).__name__)
                if writer is not None:
                    writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(submitter() for _ in range(clients)))
    return time.perf_counter() - started


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[1:3])} failed: {done.stderr[-2000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="a PostgreSQL URL (default: SQLite in a temp dir)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds, not measured")
    parser.add_argument(
        "--think-ms", type=float, default=0.0, help="pause between getting the form and sending"
    )
    parser.add_argument("--workers", type=int, help="passed to `uprhub serve`")
    parser.add_argument("--threads", type=int, help="passed to `uprhub serve`")
    parser.add_argument("--uprhub", default=UPRHUB, help="the uprhub command (another install)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "UPRHUB_DATA_DIR": tmp,
            "UPRHUB_AUTOLOAD": "false",
            "UPRHUB_TRUSTED_PROXIES": "1",
        }
        env.pop("DATABASE_URL", None)
        if args.database:
            env["DATABASE_URL"] = args.database
        port = free_port()
        cmd = [args.uprhub, "serve", "--host", HOST, "--port", str(port), "--no-worker"]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        server = subprocess.Popen(
            cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()  # "UPR Hub is running at …", after migrations
            if "running" not in line:
                raise SystemExit(f"the server did not start: {line!r}")
            _run(
                [
                    args.uprhub,
                    "manage",
                    "shell",
                    "-c",
                    "from uprhub.recommendations.importers.reference import load_reference_data;"
                    "load_reference_data()",
                ],
                env,
            )
            slug = f"bench-{int(time.time())}"
            _run(
                [args.uprhub, "consultations", "create", slug, "--state", "USA", "--title", "B"],
                env,
            )
            warm = Figures()
            asyncio.run(_submitters(port, slug, args.clients, args.warmup, 0, warm, 10_000_000))
            pids = [server.pid, *children(server.pid)]
            cpu_before = cpu_seconds(pids)
            before = resource.getrusage(resource.RUSAGE_SELF)
            measured_at = datetime.datetime.now(datetime.UTC)
            figures = Figures()
            elapsed = asyncio.run(
                _submitters(
                    port, slug, args.clients, args.seconds, args.think_ms / 1000, figures, 0
                )
            )
            after = resource.getrusage(resource.RUSAGE_SELF)
            server_cpu = cpu_seconds(pids) - cpu_before
            load_average = os.getloadavg()[0]
            stored = int(
                _run(
                    [
                        args.uprhub,
                        "manage",
                        "shell",
                        "-c",
                        "from uprhub.consultations.models import Testimony;"
                        f"print(Testimony.objects.filter(consultation__slug={slug!r}).count())",
                    ],
                    env,
                ).split()[-1]  # the shell may print a line of its own first
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()

    receipts = len(warm.receipts | figures.receipts)
    every = figures.latencies["get"] + figures.latencies["post"]
    requests = len(every)
    out = {
        "database": "postgresql" if args.database else "sqlite",
        "clients": args.clients,
        "seconds": args.seconds,
        "think_ms": args.think_ms,
        "measured_at": measured_at.isoformat(timespec="seconds"),
        "requests": requests,
        "submissions": len(figures.receipts),
        "errors": figures.errors,
        "error_kinds": figures.error_kinds,
        "statuses": {str(k): v for k, v in sorted(figures.statuses.items())},
        # Receipts given (warm-up included) without a stored testimony; and the reverse.
        "lost": max(0, receipts - stored),
        "stored_without_receipt": max(0, stored - receipts),
        "p50_ms": _pct(every, 0.50),
        "p95_ms": _pct(every, 0.95),
        "p99_ms": _pct(every, 0.99),
        "post_p50_ms": _pct(figures.latencies["post"], 0.50),
        "post_p95_ms": _pct(figures.latencies["post"], 0.95),
        "post_p99_ms": _pct(figures.latencies["post"], 0.99),
        "get_p95_ms": _pct(figures.latencies["get"], 0.95),
        "throughput": round(requests / elapsed, 1),
        "submissions_per_s": round(len(figures.receipts) / elapsed, 1),
        "server_cpu_ms_per_submission": round(server_cpu * 1000 / max(1, len(figures.receipts)), 1),
        "client": "asyncio, keep-alive, same machine",
        "client_cpu_s": round(
            (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1
        ),
        "cpus": os.cpu_count(),
        "load_average_1m": round(load_average, 2),
        "python": sys.version.split()[0],
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
