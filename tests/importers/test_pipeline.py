"""The shared import skeleton: machine suggestions run once the import has committed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from uprhub.classifier import services
from uprhub.recommendations.importers.uprinfo import import_uprinfo
from uprhub.recommendations.models import Recommendation

HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session\n"


@pytest.mark.django_db(transaction=True)
def test_suggestions_run_after_the_import_transaction(tmp_path: Path, monkeypatch) -> None:
    seen: list[tuple[bool, int]] = []
    original = services.suggest_after_import

    def observed(**kwargs):
        # Outside any transaction, with the import's rows already committed.
        seen.append((connection.in_atomic_block, Recommendation.objects.count()))
        return original(**kwargs)

    monkeypatch.setattr(services, "suggest_after_import", observed)
    path = tmp_path / "u.csv"
    path.write_text(
        HEADER
        + "Norway,WEOG,,Abolish the death penalty,Chile,GRULAC,,Accepted,,,1\n"
        + "Norway,WEOG,,Ratify the Convention against Torture,Chile,GRULAC,,Noted,,,1\n",
        encoding="utf-8",
    )
    summary = import_uprinfo(path)
    assert summary.created == 2
    assert seen == [(False, 2)]
    # A dry run changes nothing and suggests nothing.
    import_uprinfo(path, dry_run=True)
    assert len(seen) == 1
