"""Database-side structures: version triggers, re-creation after a schema change, rebuild."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import RecommendationFactory, ThemeFactory
from uprhub.search import index, service
from uprhub.search.types import SearchQuery

from .factories import Corpus

pytestmark = pytest.mark.django_db


def test_every_write_to_a_searchable_table_changes_the_version(corpus: Corpus):
    rec = corpus.by_paragraph["1.1"]
    seen = {index.current_version()}
    for write in (
        lambda: RecommendationFactory(review=rec.review, text="New text"),
        lambda: rec.labels.all().delete(),
        lambda: rec.recommenders.all().delete(),
        lambda: ThemeFactory(name="Brand new theme"),
        lambda: rec.review.state.__class__.objects.filter(pk=rec.review.state_id).update(
            short_name="Renamed"
        ),
    ):
        write()
        version = index.current_version()
        assert version not in seen
        seen.add(version)


def test_ensure_structures_is_idempotent(corpus: Corpus):
    assert index.ensure_structures(connection) is False


def _drop_triggers() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in ("search_fts_ai", "search_v_recommendations_recommendation_insert"):
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            cursor.execute("DROP TRIGGER search_version ON recommendations_recommendation")


def test_triggers_dropped_by_a_table_rebuild_come_back(corpus: Corpus):
    """What Django's SQLite schema editor does to a table it alters; post_migrate repairs it."""
    service.search(SearchQuery(text="xylophone"))
    _drop_triggers()
    rec = RecommendationFactory(review=corpus.by_paragraph["1.1"].review, text="A xylophone.")
    assert index.ensure_structures(connection) is True
    assert [h.id for h in service.search(SearchQuery(text="xylophone")).hits] == [rec.pk]
    assert index.ensure_structures(connection) is False


def test_the_post_migrate_handler_re_ensures(corpus: Corpus):
    from django.apps import apps

    from uprhub.search.apps import _ensure_after_migrate

    _drop_triggers()
    _ensure_after_migrate(apps.get_app_config("search"), using="default")
    assert index.ensure_structures(connection) is False


def test_mark_changed_and_rebuild(corpus: Corpus):
    before = index.current_version()
    index.mark_changed()
    assert index.current_version() != before
    index.rebuild()
    assert sorted(
        corpus.paragraphs(h.id for h in service.search(SearchQuery(text="torture")).hits)
    ) == ["2.10", "2.2"]


def test_a_missing_state_row_is_recreated(corpus: Corpus):
    from uprhub.search.models import IndexState

    IndexState.objects.all().delete()  # e.g. a flush between tests
    assert service.search(SearchQuery(text="torture")).total == 2
    RecommendationFactory(review=corpus.by_paragraph["1.1"].review, text="More torture.")
    assert service.search(SearchQuery(text="torture")).total == 3
