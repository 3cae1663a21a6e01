"""`pending_migrations()` answers "all applied" from the folders and one table read, and still
sees a migration that is not recorded (the full plan decides then)."""

from __future__ import annotations

import pytest
from django.db.migrations.recorder import MigrationRecorder

from uprhub.site import bootstrap

pytestmark = pytest.mark.django_db


def test_all_applied_is_answered_without_the_migration_graph(monkeypatch):
    def no_graph(*args, **kwargs):
        raise AssertionError("the migration graph was loaded")

    monkeypatch.setattr(bootstrap, "MigrationExecutor", no_graph)
    assert bootstrap.pending_migrations() is False


def test_an_unrecorded_migration_is_pending():
    # The last one applied is the newest of its app: nothing later stands for it.
    MigrationRecorder.Migration.objects.latest("id").delete()
    assert bootstrap._all_recorded() is False
    assert bootstrap.pending_migrations() is True
