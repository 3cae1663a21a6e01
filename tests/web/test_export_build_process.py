"""Big exports built in a child process (`UPRHUB_EXPORT_BUILDER=process`, the default outside
the tests), through a real SQLite file the child can read: streamed while the child writes,
then served from the cache; XLSX too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.backup.test_backup import ROOT, env_for, populate

DRIVER = r"""
import io, json, os, sys
import django
django.setup()
import openpyxl
from django.http import FileResponse
from django.test import Client
from uprhub.search import export_delivery
from uprhub.search.export_cache import cache_dir

children = []
spawn = export_delivery._spawn
def counting_spawn(*args):
    child, partial = spawn(*args)
    children.append(child)
    return child, partial
export_delivery._spawn = counting_spawn

client = Client()
first = client.get("/recommendations/export.csv")
streamed = b"".join(first.streaming_content)
first.close()
second = client.get("/recommendations/export.csv")
cached = b"".join(second.streaming_content)
second.close()
xlsx = client.get("/recommendations/export.xlsx")
sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
print(json.dumps({
    "first_from_cache": isinstance(first, FileResponse),
    "second_from_cache": isinstance(second, FileResponse),
    "same": streamed == cached,
    "csv_lines": len(streamed.decode("utf-8-sig").splitlines()),
    "xlsx_rows": sheet.max_row,
    "cached": sorted(p.suffix for p in cache_dir().iterdir()),
    "children": [c.returncode for c in children],
}))
"""


def test_big_exports_are_built_by_a_child_process(tmp_path: Path):
    data_dir = tmp_path / "data"
    env = env_for(data_dir)
    populate(env)  # 7 recommendations (tests/web/factories.py) and more
    env.update(UPRHUB_EXPORT_BUILDER="process", UPRHUB_EXPORT_CACHE_MIN_ROWS="5")
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "first_from_cache": False,  # streamed while the child wrote it
        "second_from_cache": True,
        "same": True,
        "csv_lines": 1 + 7,
        "xlsx_rows": 1 + 7,
        "cached": [".csv", ".xlsx"],
        "children": [0, 0],  # one child per export built, both cached
    }
