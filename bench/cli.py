"""Start-up time of the `uprhub` command in a new process: `--help` and one search.

Prepares a data directory once (migrations + bundled data; or reuses --data-dir), then runs
each command --runs times and prints the median wall-clock and CPU (user + sys) seconds as
JSON. Targets (issue 12, point 16): `uprhub --help` ≤ 0.5 s, `uprhub search "death penalty"
--state USA` ≤ 1 s. The CPU figure is the one to compare on a busy machine: wall-clock time
also counts waiting for a core that another process holds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPRHUB = str(ROOT / ".venv" / "bin" / "uprhub")

COMMANDS = {
    "help": [UPRHUB, "--help"],
    "search": [UPRHUB, "search", "death penalty", "--state", "USA"],
    "search_json": [UPRHUB, "search", "death penalty", "--state", "USA", "--format", "json"],
}


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--data-dir", help="an already prepared UPRHUB_DATA_DIR (else a temp one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or tmp
        env = {**os.environ, "UPRHUB_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        # An installed command reads cached bytecode; with writing switched off (some shells
        # and CI set PYTHONDONTWRITEBYTECODE) every run would compile ~100 modules again.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # First use prepares the database; not part of the figures.
        subprocess.run(COMMANDS["search"], env=env, check=True, capture_output=True, timeout=900)
        figures: dict[str, object] = {}
        for name, cmd in COMMANDS.items():
            _run(cmd, env)  # warm the page cache
            runs = [_run(cmd, env) for _ in range(args.runs)]
            figures[name] = {
                "median_wall_s": round(statistics.median(r[0] for r in runs), 3),
                "median_cpu_s": round(statistics.median(r[1] for r in runs), 3),
                "min_wall_s": round(min(r[0] for r in runs), 3),
                "runs": args.runs,
            }
        figures["load_average_1m"] = round(os.getloadavg()[0], 2)
        figures["cpus"] = os.cpu_count()
        figures["python"] = sys.version.split()[0]
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
