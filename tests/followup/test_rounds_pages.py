"""The rounds' pages through the HTTP client: who sees what, creating, editing with a version
clash, closing, and giving roles in two steps (both databases)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import OrganisationFactory, make_user
from uprhub.followup import rounds
from uprhub.followup.models import AssessmentRound, RoundRole

from .rounds_helpers import make_round, member_of, scale, usa_review

pytestmark = pytest.mark.django_db


def signed_in(client, role: str):
    user = make_user(role)
    client.force_login(user)
    return user


def test_list_needs_a_role_or_coordination(client):
    made = make_round()
    assert client.get("/followup/rounds/").status_code == 302  # to the login page
    signed_in(client, "member")
    assert client.get("/followup/rounds/").status_code == 403
    assessor, organisation = member_of()
    rounds.add_role(None, made, assessor, "assessor", organisation)
    make_round(made.review, name="Other round")
    client.force_login(assessor)
    page = client.get(reverse("followup:rounds")).content.decode()
    assert "Mid-term 2022" in page and "Other round" not in page
    assert reverse("followup:round_new") not in page


def test_coordinator_sees_every_round_and_the_empty_state(client):
    signed_in(client, "coordinator")
    page = client.get("/followup/rounds/").content.decode()
    assert "No round yet" in page and 'href="/followup/rounds/new/"' in page
    make_round()
    page = client.get("/followup/rounds/?sort=name").content.decode()
    assert "Mid-term 2022" in page and 'scope="col"' in page


def test_create_through_the_form(client):
    review = usa_review()
    signed_in(client, "coordinator")
    form = client.get("/followup/rounds/new/").content.decode()
    assert "United States — 3rd cycle (session 36, 2020)" in form
    assert "A – Largely satisfactory" in form  # the scale's grades are described
    assert "Reply or action largely satisfactory." in form
    response = client.post(
        "/followup/rounds/new/",
        {
            "name": "Mid-term 2022",
            "review": review.pk,
            "scale": scale().pk,
            "as_of": "2022-06-01",
            "assessments_due": "2022-09-01",
            "review_due": "2022-08-01",
        },
    )
    assert response.status_code == 200
    assert "before the assessments" in response.content.decode()
    assert not AssessmentRound.objects.exists()
    response = client.post(
        "/followup/rounds/new/",
        {
            "name": "Mid-term 2022",
            "review": review.pk,
            "scale": scale().pk,
            "as_of": "2022-06-01",
            "assessments_due": "2022-09-01",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/followup/rounds/mid-term-2022/people/"


def test_member_cannot_create_or_edit(client):
    made = make_round()
    signed_in(client, "member")
    assert client.get("/followup/rounds/new/").status_code == 403
    edit = reverse("followup:round_edit", args=[made.slug])
    assert client.post(edit, {"name": "x"}).status_code == 403
    assert client.post(reverse("followup:round_close", args=[made.slug])).status_code == 403
    assert not AssessmentRound.objects.get(pk=made.pk).closed


def test_edit_version_clash_shows_the_other_persons_values(client):
    made = make_round()
    signed_in(client, "coordinator")
    edit = reverse("followup:round_edit", args=[made.slug])
    assert 'name="version" value="1"' in client.get(edit).content.decode()
    rounds.update_round(None, made, version=1, name="Renamed by someone else")
    data = {
        "name": "My name",
        "review": made.review_id,
        "scale": made.scale_id,
        "as_of": "2022-06-01",
        "version": "1",
    }
    page = client.post(edit, data)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Someone else changed this round" in text
    assert "Renamed by someone else" in text and 'value="My name"' in text
    assert 'name="version" value="2"' in text  # a second save is a deliberate overwrite
    assert AssessmentRound.objects.get(pk=made.pk).name == "Renamed by someone else"
    assert client.post(edit, {**data, "version": "2"}).status_code == 302
    assert AssessmentRound.objects.get(pk=made.pk).name == "My name"


def test_overview_for_participants(client):
    soon = timezone.localdate() + timedelta(days=10)
    made = make_round(assessments_due=soon)
    assessor, organisation = member_of(name="Ana Assessor")
    rounds.add_role(None, made, assessor, "assessor", organisation)
    url = made.get_absolute_url()
    assert url == "/followup/rounds/mid-term-2022/"
    signed_in(client, "member")
    assert client.get(url).status_code == 403
    client.force_login(assessor)
    page = client.get(url).content.decode()
    assert "in 10 days" in page and "Largely satisfactory" in page
    assert "Ana Assessor" in page and organisation.name in page
    assert 'href="/followup/rounds/mid-term-2022/work/"' in page
    assert 'href="/followup/USA/3/"' in page
    assert "Close the round" not in page and "/people/" not in page
    assert client.get("/followup/rounds/nothing/").status_code == 404


def test_close_and_reopen_by_a_coordinator(client):
    made = make_round()
    signed_in(client, "coordinator")
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Close the round" in page
    client.post(reverse("followup:round_close", args=[made.slug]))
    assert AssessmentRound.objects.get(pk=made.pk).closed
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Reopen the round" in page and "Work on the assessments" not in page
    client.post(reverse("followup:round_reopen", args=[made.slug]))
    assert not AssessmentRound.objects.get(pk=made.pk).closed


def test_give_an_assessor_role_in_two_steps(client):
    made = make_round()
    person, own = member_of(name="Bea Member")
    OrganisationFactory(name="Not Theirs")
    registered = make_user("registered", name="Ray Registered")
    signed_in(client, "coordinator")
    url = reverse("followup:round_people", args=[made.slug])
    page = client.get(url).content.decode()
    assert "Bea Member" in page and "Ray Registered" not in page  # members and up only
    step_two = client.post(url, {"user": person.pk, "role": "assessor"}).content.decode()
    assert own.name in step_two and "Not Theirs" not in step_two
    assert "Assessor: Bea Member" in step_two
    assert not RoundRole.objects.exists()
    response = client.post(url, {"user": person.pk, "role": "assessor", "organisation": own.pk})
    assert response.status_code == 302
    assert RoundRole.objects.get().organisation == own
    # Someone else's organisation, forged into the form: refused.
    other, _theirs = member_of()
    forged = client.post(
        url, {"user": other.pk, "role": "assessor", "organisation": own.pk}
    ).content.decode()
    assert "Select a valid choice" in forged
    assert RoundRole.objects.count() == 1
    assert client.post(url, {"user": registered.pk, "role": "reviewer"}).status_code == 200
    assert RoundRole.objects.count() == 1


def test_reviewer_and_removal(client):
    made = make_round()
    reviewer = make_user("member")
    signed_in(client, "coordinator")
    url = reverse("followup:round_people", args=[made.slug])
    assert client.post(url, {"user": reviewer.pk, "role": "reviewer"}).status_code == 302
    role = RoundRole.objects.get()
    assert role.role == "reviewer"
    remove = reverse("followup:round_role_remove", args=[made.slug, role.pk])
    client.force_login(reviewer)
    assert client.post(remove).status_code == 403
    signed_in(client, "coordinator")
    assert client.post(remove).status_code == 302
    assert not RoundRole.objects.exists()


def test_assessor_without_organisation_is_told(client):
    made = make_round()
    loner = make_user("member", name="Lone Member")
    signed_in(client, "coordinator")
    url = reverse("followup:round_people", args=[made.slug])
    page = client.post(url, {"user": loner.pk, "role": "assessor"}).content.decode()
    assert "member of no organisation" in page
    assert not RoundRole.objects.exists()
    assert made.as_of == date(2022, 6, 1)


def test_list_and_overview_query_budgets(client, django_assert_max_num_queries):
    review = usa_review()
    for number in range(30):
        made = make_round(review, name=f"Round {number}")
    for _ in range(5):
        person, organisation = member_of()
        rounds.add_role(None, made, person, "assessor", organisation)
    signed_in(client, "coordinator")
    with django_assert_max_num_queries(12):
        page = client.get("/followup/rounds/")
    assert "Page 1 of 2" in page.content.decode()
    with django_assert_max_num_queries(14):
        assert client.get(made.get_absolute_url()).status_code == 200
