"""Build one big export in a process of its own (started by `export_delivery`).

    python -m uprhub.search.export_build '{"fmt": "csv", "partial": …, …}'

Building 100,000 rows is seconds of pure Python. Inside a threaded web server that work would
hold the interpreter lock and slow every other request of the process; in a child process, at
a lower CPU priority, it only uses a core the operating system can share fairly. The child
writes ``partial`` (the web process streams it as it grows), then moves it to ``target`` if the
data did not change meanwhile.

Exit status: 0 built and cached; 3 built but not cached (the data changed: the web process
sends ``partial`` once and deletes it); anything else failed.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .export_cache import NOT_CACHED


def build(spec: dict[str, Any]) -> int:
    from itertools import islice
    from pathlib import Path

    from django.http import QueryDict
    from django.utils import translation

    from uprhub.core import exports as tabular
    from uprhub.search import service

    from . import exports
    from .export_cache import publish

    translation.activate(spec["language"])
    params = QueryDict(mutable=True)
    for key, value in spec["params"]:
        params.appendlist(key, value)
    query = service.query_from_params(params)
    ids = islice(service.iter_ids(query), spec["max_rows"])
    records = exports.rows_for_ids(ids, spec["base_url"])
    partial, target = Path(spec["partial"]), Path(spec["target"])
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        if spec["fmt"] == "xlsx":
            exports.write_xlsx(records, handle)
        else:
            for line in tabular.csv_lines(exports.header(), records):
                handle.write(line.encode("utf-8"))
    return 0 if publish(partial, target, spec["version"]) else NOT_CACHED


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    # The web server's requests come first; this is background work.
    os.nice(spec.get("nice", 10))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uprhub.settings")
    import django

    django.setup()
    return build(spec)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
