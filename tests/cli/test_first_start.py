"""`uprhub serve` on an empty data directory: the first start says what it is loading as it
goes, explains its counts in words, and ends with a one-line summary before the address.

A real process on a fresh SQLite data directory (the embedded default), so SQLite pass only.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import using_postgres

UPRHUB = shutil.which("uprhub", path=str(Path(sys.executable).parent))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(using_postgres(), reason="first-run test uses the embedded SQLite default"),
    pytest.mark.skipif(
        UPRHUB is None, reason="the uprhub script is not installed (pip install -e .)"
    ),
]


def test_first_start_shows_progress_explains_and_sums_up(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "UPRHUB_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["UPRHUB_DATA_DIR"] = str(tmp_path / "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [UPRHUB, "serve", "--port", str(port), "--no-worker"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        running = server.stdout.readline()  # printed once the data is loaded and the port bound
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert f"http://localhost:{port}/" in running, err
    lines = [line.rstrip() for line in err.splitlines()]
    steps = [line.strip() for line in lines if line.startswith("  ") and "/9 " in line]
    assert steps == [
        "1/9 States, UPR cycles, Working Group sessions and reviews…",
        "2/9 UPR Info's recommendations, sessions 1 to 17 (the longest step)…",
        "3/9 UPR Info's voluntary pledges, sessions 1 to 17…",
        "4/9 OHCHR's list of the United States' 3rd-cycle recommendations…",
        "5/9 OHCHR's thematic list of Slovenia's 4th-cycle recommendations…",
        "6/9 UN compilation on the United States (UPR 50)…",
        "7/9 UN summary of stakeholders' submissions on the United States (UPR 50)…",
        "8/9 The review calendar…",
        "9/9 OHCHR's rules for submissions…",
    ]
    text = "\n".join(line.strip() for line in lines)
    # The counts of the old summary, said in words.
    assert "From 33,082 rows: 32,082 recommendations added." in text
    assert (
        "1,000 rows repeated something already read and were merged into it (UPR Info lists a "
        "recommendation made by several States once for each of them" in text
    )
    assert (
        "9 warnings, nothing was left out: 4 rows repeat an earlier row exactly (merged); "
        "5 rows disagree with an earlier row of the same recommendation" in text
    )
    assert "2 State names are not recognised and are kept as “unknown” States" in text
    assert "uprhub manage load_bundled_data -v 2" in text
    assert "rows read;" not in text  # no bare counts left to decode
    # The last line before the address sums it all up.
    ready = lines[-1]
    assert ready.startswith("UPR Hub is ready: 32,683 recommendations to 193 States, ")
    assert "830 voluntary pledges" in ready and "(loaded in " in ready
