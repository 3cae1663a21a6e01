"""Follow-up's part of "Your data": a person's roles, assessments and position history are in
their download; deleting the account keeps the coalition's record but not their name."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from uprhub.accounts.privacy import delete_account
from uprhub.followup import services
from uprhub.followup.models import Assessment, Position, PositionRevision

from .work_data import AS_OF, assessor, make_world

pytestmark = pytest.mark.django_db


def test_download_and_deletion(client):
    world = make_world(recommendations=1)
    person = assessor(world)
    services.save_assessment(
        person,
        world.round,
        world.recs[0],
        world.org,
        grade=world.grade("B"),
        rationale="Some steps, more needed.",
        as_of=AS_OF,
    )
    services.save_position(
        person,
        world.round,
        world.recs[0],
        grade=world.grade("B"),
        rationale="Partly done.",
        as_of=AS_OF,
        version=None,
    )
    client.force_login(person)
    data = json.loads(client.post(reverse("accounts:download_data")).content)["followup"]
    assert [r["role"] for r in data["roles"]] == ["assessor"]
    assert data["assessments"][0]["rationale"] == "Some steps, more needed."
    assert data["position_history"][0]["rationale"] == "Partly done."
    label = PositionRevision.objects.get().author_label
    assert label  # the history says who, while the account exists

    person.set_password("a long and private passphrase 42")
    person.save()
    delete_account(person, password="a long and private passphrase 42")
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    # The coalition's record stays, without the person.
    assert Assessment.objects.get().assessed_by is None
    assert Position.objects.get().drafted_by is None
    revision = PositionRevision.objects.get()
    assert revision.author is None and revision.author_label == ""


def test_the_history_never_keeps_an_e_mail_address():
    world = make_world(recommendations=1)
    person = assessor(world)
    person.profile.full_name = ""
    person.profile.save()
    services.save_position(
        person, world.round, world.recs[0],
        grade=world.grade("C"), rationale="", as_of=AS_OF, version=None,
    )  # fmt: skip
    label = PositionRevision.objects.get().author_label
    assert label and person.email not in label
