"""Big exports: streamed, cached per data version, limited to a few slots across processes.

`UPRHUB_EXPORT_CACHE_MIN_ROWS` is lowered so that the web data's 7 US recommendations count as
a "full" export; the data directory (cache, slot locks) is the test's own.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import time

import openpyxl
import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from uprhub.core import slots
from uprhub.recommendations.models import Recommendation
from uprhub.search import export_delivery
from uprhub.search.index import current_version

pytestmark = pytest.mark.django_db

CSV_URL = reverse("recommendations:export", kwargs={"fmt": "csv"})
XLSX_URL = reverse("recommendations:export", kwargs={"fmt": "xlsx"})


@pytest.fixture
def big(settings, tmp_path, web_data):
    settings.DATA_DIR = tmp_path
    settings.UPRHUB_EXPORT_CACHE_MIN_ROWS = 5
    settings.UPRHUB_EXPORT_SLOTS = 2
    return web_data


def close(response) -> None:
    """What the server does once the body is sent; without the end-of-request signal closing
    the test's database connection (as Django's test client does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def body(response) -> bytes:
    content = b"".join(response.streaming_content)
    close(response)
    return content


def cached_files(settings) -> list[str]:
    directory = export_delivery.cache_dir()
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_big_csv_export_streams_then_comes_from_the_cache(client, big, settings):
    first = client.get(CSV_URL, {"state": "USA"})
    assert isinstance(first, StreamingHttpResponse) and not isinstance(first, FileResponse)
    content = body(first)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 7
    files = cached_files(settings)
    assert len(files) == 1 and files[0].startswith(f"{current_version()}-")

    second = client.get(CSV_URL, {"state": "USA"})
    assert isinstance(second, FileResponse)  # sent from disk, built once
    assert second["Content-Type"] == "text/csv; charset=utf-8"
    assert second["Content-Disposition"].startswith('attachment; filename="uprhub-recommendations')
    assert body(second) == content
    # Another query, language or format is another file.
    body(client.get(CSV_URL, {"state": "USA", "sort": "paragraph"}))
    assert len(cached_files(settings)) == 2


def test_a_cached_export_costs_one_query(client, big, django_assert_num_queries):
    content = body(client.get(CSV_URL))
    with django_assert_num_queries(1):  # the data version
        assert body(client.get(CSV_URL)) == content


def test_a_write_invalidates_the_cached_export(client, big, settings):
    body(client.get(CSV_URL))
    old_files = cached_files(settings)
    rec = big.recommendations[0]
    Recommendation.objects.filter(pk=rec.pk).update(text="Ratify the Optional Protocol now")
    response = client.get(CSV_URL)
    assert not isinstance(response, FileResponse)
    assert "Ratify the Optional Protocol now" in body(response).decode("utf-8-sig")
    new_files = cached_files(settings)
    assert len(new_files) == 1 and new_files != old_files  # the stale file is gone


def test_big_xlsx_export_is_built_once_and_cached(client, big, settings):
    first = body(client.get(XLSX_URL))
    sheet = openpyxl.load_workbook(io.BytesIO(first)).active
    assert sheet.max_row == 1 + 7
    assert [name.rsplit(".", 1)[1] for name in cached_files(settings)] == ["xlsx"]
    again = client.get(XLSX_URL)
    assert isinstance(again, FileResponse)
    assert body(again) == first


def test_eight_concurrent_exports_leave_the_site_answering(client, big, settings, caplog):
    """Two slots: two exports are built, the other six are told at once to come back, a
    cached export is still served without a slot, and a plain page answers meanwhile."""
    cached = body(client.get(CSV_URL, {"sort": "paragraph"}))  # an export already made

    # Two different exports take the two slots (their bodies are not read yet).
    running = [client.get(CSV_URL, {"sort": sort}) for sort in ("date", "-date")]
    assert all(isinstance(r, StreamingHttpResponse) for r in running)
    assert slots.busy(export_delivery.SLOT_KIND, 2) == 2
    # The same export as one being built is not built twice; others find no free slot.
    refused = [client.get(CSV_URL, {"sort": "date"})]
    refused += [client.get(CSV_URL, {"state": "USA"}) for _ in range(3)]
    refused += [client.get(XLSX_URL, {"state": "USA"}) for _ in range(2)]
    for response in refused:
        assert response.status_code == 503
        assert response["Retry-After"] == str(export_delivery.RETRY_AFTER_SECONDS)
        assert "Exports are busy right now" in response.content.decode()
    # An expected state, not a server error: no ERROR line (nor admin e-mail) per refusal.
    assert not [r for r in caplog.records if r.levelname == "ERROR"]

    home = client.get(reverse("core:home"))
    assert home.status_code == 200 and b"UPR Hub" in home.content
    from_cache = client.get(CSV_URL, {"sort": "paragraph"})
    assert isinstance(from_cache, FileResponse) and body(from_cache) == cached

    for response in running:
        assert len(body(response).decode("utf-8-sig").splitlines()) == 1 + 7
    assert slots.busy(export_delivery.SLOT_KIND, 2) == 0
    assert isinstance(client.get(CSV_URL, {"sort": "date"}), FileResponse)


def test_a_client_leaving_mid_stream_frees_the_slot_and_caches_nothing(
    rf, big, settings, monkeypatch
):
    from uprhub.search.views import export

    monkeypatch.setattr(export_delivery, "STREAM_CHUNK", 200)
    # The view itself, as a WSGI server calls it (the test client would wrap the stream).
    response = export(rf.get(CSV_URL), "csv")
    stream = iter(response.streaming_content)
    next(stream)  # the first 200 bytes or so, then the visitor closes the tab
    assert slots.busy(export_delivery.SLOT_KIND, 2) == 1
    close(response)
    assert slots.busy(export_delivery.SLOT_KIND, 2) == 0
    assert cached_files(settings) == []  # no partial file left, nothing cached

    never_read = export(rf.get(CSV_URL), "csv")  # closed before its first byte
    assert slots.busy(export_delivery.SLOT_KIND, 2) == 1
    close(never_read)
    assert slots.busy(export_delivery.SLOT_KIND, 2) == 0


def test_small_exports_take_no_slot(client, big, settings):
    settings.UPRHUB_EXPORT_CACHE_MIN_ROWS = 100
    held = [slots.try_acquire(export_delivery.SLOT_KIND, 2) for _ in range(2)]
    assert all(held)
    response = client.get(CSV_URL)
    assert response.status_code == 200 and len(body(response).splitlines()) == 1 + 7
    assert cached_files(settings) == []
    for slot in held:
        slot.release()


def test_slots_are_shared_between_processes(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            "f = open(sys.argv[1], 'a')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            str(slots._directory() / "export-0.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert slots.try_acquire("export", 1) is None
        assert slots.busy("export", 1) == 1
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 5
    slot = None
    while slot is None and time.monotonic() < deadline:  # the kernel frees a dead holder's lock
        slot = slots.try_acquire("export", 1)
    assert slot is not None
    slot.release()
