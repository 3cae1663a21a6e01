"""Carry-forward links between the real US 1st and 3rd cycles, the receiver on import, the
command (both databases)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.followup.carry_data import add_all_third, first_cycle, usa_cycles
from uprhub.followup import carry_forward
from uprhub.followup.carry_forward import kind_of, strength
from uprhub.followup.models import CarryForward, LinkKind
from uprhub.recommendations.models import Recommendation
from uprhub.recommendations.signals import import_committed

pytestmark = pytest.mark.django_db


def add_all_first(review) -> None:
    Recommendation.objects.bulk_create(
        Recommendation(
            review=review,
            text=text,
            text_key=hashlib.sha1(f"{n} {text}".encode()).hexdigest(),  # noqa: S324
            position="supported",
        )
        for n, text in enumerate(first_cycle())
    )


@pytest.fixture
def cycles():
    state, first, third = usa_cycles()
    add_all_first(first)
    add_all_third(third)
    return state, first, third


def _links(paragraph: str) -> list[tuple[str, str]]:
    return [
        (link.kind, link.earlier.text.strip())
        for link in CarryForward.objects.filter(later__paragraph=paragraph).select_related(
            "earlier"
        )
    ]


def test_strength_and_kind_heuristic():
    assert strength("Consider ratifying CEDAW") < strength("Ratify CEDAW")
    assert strength("Continue efforts to combat racism") < strength("Abolish the death penalty")
    assert strength("Take all necessary measures to impose a moratorium") == strength("Impose X")
    assert strength("Swiftly ratify CEDAW") == strength("Ratify CEDAW")
    assert kind_of("Ratify CEDAW", "Consider ratifying CEDAW") == LinkKind.STRENGTHENED
    assert kind_of("Consider ratifying CEDAW", "Ratify CEDAW") == LinkKind.REPEATED
    assert kind_of("Ratify CEDAW", "Ratify CEDAW") == LinkKind.REPEATED
    # One rung up a measure's ladder, same verb strength.
    assert (
        kind_of("Impose the abolition of the death penalty", "Impose a moratorium on executions")
        == LinkKind.STRENGTHENED
    )


def test_third_cycle_links_to_first(cycles):
    _state, first, third = cycles
    run = carry_forward.link_cycles(third)
    assert (run.later_cycle, run.earlier_cycle) == (3, 1)
    assert run.earlier_review == first.pk
    counts = run.counts()
    assert counts["repeated"] + counts["strengthened"] == run.linked
    assert counts["new"] == 347 - run.linked
    assert 100 <= run.linked <= 130  # 116 when the threshold was chosen
    # The same words in both cycles: repeated.
    assert (
        LinkKind.REPEATED,
        "Impose a moratorium on executions with a view to abolishing the death penalty nationwide",
    ) in _links("26.187")
    # "Consider ratifying CEDAW" after "Ratify CEDAW": asked again, not stronger.
    assert (LinkKind.REPEATED, "Ratify CEDAW") in _links("26.30")
    # "Sign" after "Consider signing": strengthened.
    assert any(
        kind == LinkKind.STRENGTHENED and text.startswith("Consider signing")
        for kind, text in _links("26.51")
    )
    # The Paris Agreement did not exist in 2010: new, nothing stored.
    assert _links("26.64") == []
    assert all(link.method == "tfidf-0.5" for link in CarryForward.objects.all())
    assert CarryForward.objects.filter(later__paragraph="26.187").count() <= 3


def test_relink_replaces_machine_links_and_keeps_manual(cycles):
    _state, first, third = cycles
    later = third.recommendations.get(paragraph="26.64")
    earlier = first.recommendations.first()
    CarryForward.objects.create(later=later, earlier=earlier, kind="repeated", method="manual")
    first_run = carry_forward.link_cycles(third)
    again = carry_forward.link_cycles(third)
    assert again.removed == len(first_run.links)
    assert CarryForward.objects.filter(method="manual").count() == 1
    assert CarryForward.objects.exclude(method="manual").count() == len(again.links)


def test_no_earlier_cycle(cycles):
    _state, first, _third = cycles
    run = carry_forward.link_cycles(first)
    assert run.earlier_cycle is None and run.links == []


def test_receiver_relinks_after_an_import(cycles):
    _state, _first, third = cycles
    assert not CarryForward.objects.exists()
    since = timezone.now() - timedelta(minutes=1)
    import_committed.send(sender=object, since=since)
    assert CarryForward.objects.filter(later__review=third).count() > 100
    # An import that changed nothing relinks nothing.
    CarryForward.objects.all().delete()
    import_committed.send(sender=object, since=timezone.now() + timedelta(minutes=1))
    assert not CarryForward.objects.exists()


def test_receiver_never_raises(cycles, monkeypatch, caplog):
    def broken(review_ids):
        raise RuntimeError("boom")

    monkeypatch.setattr(carry_forward, "relink_state_reviews", broken)
    import_committed.send(sender=object, since=timezone.now() - timedelta(minutes=1))
    assert "carry-forward links could not be made" in caplog.text


def test_link_command(cycles):
    out, err = StringIO(), StringIO()
    call_command(
        "followup", "link", "USA", "--cycle", "3", "--format", "json", stdout=out, stderr=err
    )
    payload = json.loads(out.getvalue())
    assert payload["later_cycle"] == 3 and payload["earlier_cycle"] == 1
    assert set(payload["counts"]) == {"repeated", "strengthened", "new"}
    assert sum(payload["counts"].values()) == 347
    assert "347 recommendations against" in err.getvalue()
    out = StringIO()
    call_command("followup", "link", "USA", "--cycle", "3", stdout=out, stderr=err)
    assert "Cycle 3 → cycle 1:" in out.getvalue()
    out = StringIO()
    call_command("followup", "link", "USA", "--cycle", "1", stdout=out, stderr=err)
    assert "nothing to link" in out.getvalue()
    with pytest.raises(CommandError, match="no recommendations in cycle 2"):
        call_command("followup", "link", "USA", "--cycle", "2")
