"""How an explorer export reaches the user: cached per data version, limited, streamed.

A full export (every recommendation: 100,000+ rows) takes tens of seconds of CPU. So:

1. **Cache.** A finished export of at least ``UPRHUB_EXPORT_CACHE_MIN_ROWS`` rows is kept in
   ``$UPRHUB_DATA_DIR/cache/exports/``, keyed by (data version, format, language, site address,
   row cap, query). The data version is the search layer's token, which any write to the
   searchable data changes: a new version makes every older file unreachable (and they are
   deleted when the next file is stored). A cached file is sent by the server straight from
   disk (``FileResponse``) and takes no slot.
2. **Slots.** Building a big export needs one of ``UPRHUB_EXPORT_SLOTS`` slots, shared by every
   thread and process (``uprhub.core.slots``). When all are taken the answer is at once a 503
   with ``Retry-After`` and a page that says so, instead of a thread (or a process) more
   waiting on the CPU: the home page and searches keep answering.
3. **Streaming.** CSV is streamed as it is built (and written to the cache file meanwhile);
   XLSX is written in openpyxl's write-only mode to a file, then sent from disk.
4. **Out of the web process** (``UPRHUB_EXPORT_BUILDER=process``, the default outside the
   tests): the rows are built by ``export_build`` in a child process at a lower CPU priority,
   and the request's thread only copies the growing file to the client. Built in a thread of a
   threaded server instead, pure-Python work holds the interpreter lock and every other
   request of the process waits for it (measured: the home page went from 120 ms to 0.5–1.5 s
   during two full exports).

Small exports (fewer rows than the threshold) are built directly, without slot or cache:
they take a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from uprhub.core import exports as tabular
from uprhub.core import slots
from uprhub.search import service
from uprhub.search.index import current_version
from uprhub.search.types import SearchQuery

from . import exports
from .export_cache import NOT_CACHED, cache_dir, publish

log = logging.getLogger(__name__)

SLOT_KIND = "export"
RETRY_AFTER_SECONDS = 30
STREAM_CHUNK = 64 * 1024
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": tabular.XLSX_CONTENT_TYPE}


def cache_name(query: SearchQuery, fmt: str, base_url: str, version: int) -> str:
    """The cache file's name: data version first (so stale files are easy to find)."""
    params = service.query_to_params(replace(query, page=1, page_size=SearchQuery.page_size))
    raw = json.dumps(
        [fmt, get_language(), base_url, settings.UPRHUB_EXPORT_MAX_ROWS, params],
        sort_keys=True,
    )
    return f"{version}-{hashlib.sha256(raw.encode()).hexdigest()[:40]}.{fmt}"


def _file_response(path: Path, fmt: str) -> FileResponse:
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=exports.filename(fmt),
        content_type=CONTENT_TYPES[fmt],
    )


def _cached_response(target: Path, fmt: str) -> FileResponse | None:
    try:
        return _file_response(target, fmt)
    except FileNotFoundError:  # not built yet, or just pruned
        return None


def _partial(target: Path) -> Path:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return target.with_name(f".{target.stem}.{uuid.uuid4().hex}.partial")


def busy_response(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "recommendations/export_busy.html",
        {"retry_after": RETRY_AFTER_SECONDS},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Busy is an expected state, not a server error: one warning line instead of Django's
    # ERROR log (and admin e-mail) for every 5xx.
    log.warning("Export refused: all %s export slots are busy", settings.UPRHUB_EXPORT_SLOTS)
    response._has_been_logged = True  # type: ignore[attr-defined]  # see django.utils.log
    return response


class _SlotStream:
    """The CSV generator, plus the slot it holds: the slot is freed when the server closes
    the response, also when the client went away before the first byte."""

    def __init__(
        self,
        chunks: Iterator[bytes],
        slot: slots.Group,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._chunks, self._slot, self._on_close = chunks, slot, on_close

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def close(self) -> None:
        try:
            self._chunks.close()  # type: ignore[attr-defined]
            if self._on_close is not None:
                self._on_close()
        finally:
            self._slot.release()


def _csv_chunks(
    ids: list[int], base_url: str, target: Path, version: int, slot: slots.Group
) -> Iterator[bytes]:
    """The CSV in ~64 kB pieces, written to a partial cache file as it goes."""
    partial = _partial(target)
    finished = False
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as cache_file:
            pending: list[bytes] = []
            size = 0
            for line in tabular.csv_lines(exports.header(), exports.rows_for_ids(ids, base_url)):
                data = line.encode("utf-8")
                pending.append(data)
                size += len(data)
                if size >= STREAM_CHUNK:
                    chunk = b"".join(pending)
                    cache_file.write(chunk)
                    pending, size = [], 0
                    yield chunk
            chunk = b"".join(pending)
            cache_file.write(chunk)
        finished = True
        slot.release()  # the work is done: the last bytes need no slot
        yield chunk
    finally:
        slot.release()
        if not (finished and publish(partial, target, version)):
            partial.unlink(missing_ok=True)  # client gone, export failed, or data changed


def _xlsx(ids: list[int], base_url: str, target: Path, version: int, slot: slots.Group) -> Path:
    """Write the workbook to a partial file; return the file to send."""
    partial = _partial(target)
    try:
        with open(partial, "xb") as handle:
            os.chmod(partial, 0o600)
            exports.write_xlsx(exports.rows_for_ids(ids, base_url), handle)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        slot.release()
    if publish(partial, target, version):
        return target
    return partial  # data changed meanwhile: send this one, cache nothing


# ------------------------------------------------------------- building in a child process


def _spawn(
    query: SearchQuery, fmt: str, base_url: str, target: Path, version: int
) -> tuple[subprocess.Popen, Path]:
    """Start `export_build` for this export; return the process and its partial file."""
    partial = _partial(target)
    spec = {
        "fmt": fmt,
        "partial": str(partial),
        "target": str(target),
        "version": version,
        "base_url": base_url,
        "language": get_language() or settings.LANGUAGE_CODE,
        "params": service.query_to_params(replace(query, page=1)),
        "max_rows": settings.UPRHUB_EXPORT_MAX_ROWS,
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "uprhub.settings"),
    }
    child = subprocess.Popen(  # noqa: S603 - our own module, arguments built here
        [sys.executable, "-m", "uprhub.search.export_build", json.dumps(spec)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    return child, partial


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _follow_csv(child: subprocess.Popen, partial: Path, slot: slots.Group) -> Iterator[bytes]:
    """Stream the child's CSV while it writes it (like ``tail -f``), until it exits."""
    try:
        while not partial.exists():
            if child.poll() is not None:
                raise RuntimeError(f"export build failed (status {child.returncode})")
            time.sleep(0.05)
        with partial.open("rb") as handle:  # stays readable after the child renames it
            while True:
                chunk = handle.read(STREAM_CHUNK)
                if chunk:
                    yield chunk
                    continue
                if child.poll() is None:
                    time.sleep(0.05)
                    continue
                rest = handle.read()  # written between the last read and the exit
                if rest:
                    yield rest
                break
        if child.returncode not in (0, NOT_CACHED):
            raise RuntimeError(f"export build failed (status {child.returncode})")
    finally:
        _stop(child)  # the visitor left: no need to finish
        slot.release()
        if child.returncode != 0:
            partial.unlink(missing_ok=True)


def _built_elsewhere(
    query: SearchQuery, fmt: str, base_url: str, target: Path, version: int, slot: slots.Group
) -> HttpResponse:
    child, partial = _spawn(query, fmt, base_url, target, version)
    if fmt == "csv":

        def closed_early() -> None:  # also when the stream was never started
            _stop(child)
            if child.returncode != 0:
                partial.unlink(missing_ok=True)

        stream = _SlotStream(_follow_csv(child, partial, slot), slot, on_close=closed_early)
        response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{exports.filename("csv")}"'
        return response
    try:
        child.wait()  # sleeps: the interpreter lock stays free for other requests
    finally:
        _stop(child)
        slot.release()
    if child.returncode == 0:
        return _file_response(target, fmt)
    if child.returncode == NOT_CACHED:
        response = _file_response(partial, fmt)
        partial.unlink(missing_ok=True)  # the open file stays readable until sent
        return response
    partial.unlink(missing_ok=True)
    raise RuntimeError(f"export build failed (status {child.returncode})")


def export_response(request: HttpRequest, query: SearchQuery, fmt: str) -> HttpResponse:
    """The export of ``query`` as CSV or XLSX: from cache, built under a slot, or "busy"."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    version = current_version()
    target = cache_dir() / cache_name(query, fmt, base_url, version)
    cached = _cached_response(target, fmt)
    if cached is not None:
        return cached

    ids = list(islice(service.iter_ids(query), settings.UPRHUB_EXPORT_MAX_ROWS))
    if len(ids) < settings.UPRHUB_EXPORT_CACHE_MIN_ROWS:
        if fmt == "xlsx":
            return exports.xlsx_response(query, request, ids=ids)
        return exports.csv_response(query, request, ids=ids)

    # The same export already being built (by any process): its file will be in the cache in
    # a moment; building it twice would only take a second slot.
    building = slots.try_acquire(f"build-{target.stem}", 1)
    slot = slots.try_acquire(SLOT_KIND, settings.UPRHUB_EXPORT_SLOTS) if building else None
    if slot is None:
        if building:
            building.release()
        # Finished by someone else meanwhile?
        return _cached_response(target, fmt) or busy_response(request)
    slot = slots.Group(slot, building)
    if settings.UPRHUB_EXPORT_BUILDER == "process":
        return _built_elsewhere(query, fmt, base_url, target, version, slot)
    if fmt == "xlsx":
        path = _xlsx(ids, base_url, target, version, slot)
        response = _file_response(path, fmt)
        if path != target:
            path.unlink(missing_ok=True)  # the open file stays readable until sent
        return response
    stream = _SlotStream(_csv_chunks(ids, base_url, target, version, slot), slot)
    response = StreamingHttpResponse(stream, content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename("csv")}"'
    return response
