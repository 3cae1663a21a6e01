"""The shipped scales are data from a migration: they are there again after a database flush
(`manage flush`, or between transactional tests: FollowupConfig's post_migrate receiver)."""

from __future__ import annotations

from uprhub.followup.models import Grade, Scale
from uprhub.followup.scales import load_scales, shipped_scales


def _shipped(transactional_db) -> dict[str, list[str]]:
    return {
        s.slug: [g.code for g in s.grades.order_by("order")]
        for s in Scale.objects.prefetch_related("grades")
    }


def test_a_transactional_test_finds_the_shipped_scales(transactional_db):
    assert _shipped(transactional_db) == {
        "hrc-follow-up": ["A", "B", "C", "D", "E"],
        "upr-info": ["fully", "partially", "not"],
    }
    Scale.objects.all().delete()  # and whatever it does, the next one finds them again


def test_the_next_one_too(transactional_db):
    assert set(_shipped(transactional_db)) == {"hrc-follow-up", "upr-info"}


def test_loading_again_changes_nothing(transactional_db):
    before = list(Grade.objects.values_list("pk", "code", "bucket"))
    assert load_scales(Scale, Grade) == sum(len(s["grades"]) for s in shipped_scales())
    assert list(Grade.objects.values_list("pk", "code", "bucket")) == before
