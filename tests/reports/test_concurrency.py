"""Two people saving the same paragraph at the same moment: exactly one wins, the other gets
the conflict with both texts. On PostgreSQL with two real connections; the sequential
stale-version case runs on both databases (test_services.py)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from uprhub.reports import services
from uprhub.reports.models import Paragraph, Revision
from uprhub.search import service as search

from .factories import make_world

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(transactional_db):
    search.clear_caches()
    world = make_world()
    paragraph = services.add_paragraph(world.follow_up, "Original.", actor=world.lead)
    return world, paragraph


def in_thread(results: dict, name: str, work) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = work()
        except Exception as error:  # noqa: BLE001 — reported to the test
            results[name] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_second_writer_waits_then_conflicts(setup):
    """Writer A is mid-transaction when B saves: B waits for A's commit, then is refused."""
    world, paragraph = setup
    a_wrote = threading.Event()
    b_started = threading.Event()
    results: dict = {}

    def writer_a():
        with transaction.atomic():
            saved = services.save_paragraph(
                paragraph, "A's text.", [], expected_version=1, actor=world.lead
            )
            a_wrote.set()
            b_started.wait(5)
            time.sleep(0.5)  # B is now blocked on A's row locks
        return saved

    def writer_b():
        a_wrote.wait(5)
        b_started.set()
        return services.save_paragraph(
            paragraph, "B's text.", [], expected_version=1, actor=world.people["drafter"]
        )

    threads = [in_thread(results, "a", writer_a), in_thread(results, "b", writer_b)]
    for thread in threads:
        thread.join(20)
    assert isinstance(results["a"], Paragraph), results["a"]
    conflict = results["b"]
    assert isinstance(conflict, services.EditConflict), conflict
    assert conflict.theirs.text == "A's text." and conflict.yours.text == "B's text."
    stored = Paragraph.objects.get(pk=paragraph.pk)
    assert stored.text == "A's text." and stored.version == 2
    assert Revision.objects.filter(paragraph=paragraph).count() == 2


@pytest.mark.parametrize("attempt", range(5))
def test_simultaneous_saves_exactly_one_wins(setup, attempt):
    world, paragraph = setup
    start = threading.Barrier(2)
    results: dict = {}
    people = {"lead": world.lead, "drafter": world.people["drafter"]}

    def writer(name):
        def work():
            start.wait(5)
            return services.save_paragraph(
                paragraph, f"{name}'s text.", [], expected_version=1, actor=people[name]
            )

        return work

    threads = [in_thread(results, name, writer(name)) for name in people]
    for thread in threads:
        thread.join(20)
    winners = [n for n, v in results.items() if isinstance(v, Paragraph)]
    losers = [n for n, v in results.items() if isinstance(v, services.EditConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    stored = Paragraph.objects.get(pk=paragraph.pk)
    assert stored.text == f"{winners[0]}'s text." and stored.version == 2
    assert results[losers[0]].theirs.text == stored.text
