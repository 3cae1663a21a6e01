"""The pages of the people who run consultations: list, create, settings, roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.consultations import services
from uprhub.consultations.models import Consultation, ConsultationRole, Testimony

from .conftest import make_input

pytestmark = pytest.mark.django_db


def _edit_data(consultation, **changes):
    data = {
        "title": consultation.title,
        "place": consultation.place,
        "description": consultation.description,
        "languages": consultation.languages,
        "ask_themes": "on",
        "ask_government": "on",
        "version": consultation.version,
        "consent_text": "",
    }
    data.update(changes)
    return data


def test_index_lists_consultations_for_everyone(client, consultation):
    page = client.get(reverse("consultations:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pittsburgh listens" in html
    assert "Taking testimony" in html
    assert reverse("consultations:create") not in html  # only coordinators may start one


def test_index_empty_state(client, db):
    html = client.get(reverse("consultations:index")).content.decode()
    assert "No consultation yet." in html


def test_index_shows_the_consultations_someone_runs(client, consultation):
    facilitator = make_user("registered")
    services.assign_role(consultation, facilitator, "facilitator", actor=None)
    client.force_login(facilitator)
    html = client.get(reverse("consultations:index")).content.decode()
    assert "Consultations you run" in html
    assert reverse("consultations:edit", args=[consultation.slug]) in html


def test_coordinator_creates_a_consultation(client, consultation):
    client.force_login(make_user("coordinator"))
    assert client.get(reverse("consultations:create")).status_code == 200
    response = client.post(
        reverse("consultations:create"),
        {
            "review": consultation.review.pk,
            "title": "Oakland listens",
            "slug": "oakland",
            "languages": ["en", "es"],
            "ask_government": "on",
        },
    )
    created = Consultation.objects.get(slug="oakland")
    assert response["Location"] == reverse("consultations:people", args=["oakland"])
    assert created.languages == ["en", "es"]
    assert created.questions == {"themes": False, "government": True}
    assert created.current_consent().version == 1


def test_create_refuses_a_reserved_or_taken_short_name(client, consultation):
    client.force_login(make_user("coordinator"))
    for slug, message in (("new", "reserved"), ("pittsburgh", "exists")):
        response = client.post(
            reverse("consultations:create"),
            {"review": consultation.review.pk, "title": "X", "slug": slug, "languages": ["en"]},
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert Consultation.objects.count() == 1


@pytest.mark.parametrize("role", ["registered", "member"])
def test_create_is_for_coordinators(client, role, consultation):
    client.force_login(make_user(role))
    assert client.get(reverse("consultations:create")).status_code == 403


def test_create_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("consultations:create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_moderator_changes_settings_and_consent_gets_a_new_version(client, consultation, moderator):
    client.force_login(moderator)
    url = reverse("consultations:edit", args=[consultation.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _edit_data(
            consultation, title="Pittsburgh speaks", consent_text="We keep it 90 days.", place=""
        ),
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.title == "Pittsburgh speaks"
    assert consultation.version == 2
    assert consultation.current_consent().version == 2
    assert consultation.current_consent().text == "We keep it 90 days."


def test_testimony_keeps_the_consent_version_it_was_given_under(client, consultation, moderator):
    before, _code = services.submit_testimony(consultation, make_input())
    client.force_login(moderator)
    client.post(
        reverse("consultations:edit", args=[consultation.slug]),
        _edit_data(consultation, consent_text="New wording."),
    )
    after, _code = services.submit_testimony(consultation, make_input())
    assert Testimony.objects.get(pk=before.pk).consent.version == 1
    assert Testimony.objects.get(pk=after.pk).consent.version == 2


def test_a_save_from_an_outdated_page_is_refused(client, consultation, moderator):
    client.force_login(moderator)
    url = reverse("consultations:edit", args=[consultation.slug])
    stale = _edit_data(consultation, title="First")
    client.post(url, _edit_data(consultation, title="Second"))
    response = client.post(url, stale, follow=True)
    assert "Someone changed this consultation" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.title == "Second"


def test_access_code_set_kept_and_removed(client, consultation, moderator):
    client.force_login(moderator)
    url = reverse("consultations:edit", args=[consultation.slug])
    client.post(url, _edit_data(consultation, access_code="river"))
    consultation.refresh_from_db()
    assert consultation.needs_access_code
    assert "river" not in client.get(url).content.decode()  # never shown back
    client.post(url, _edit_data(consultation))  # empty: kept
    consultation.refresh_from_db()
    assert consultation.needs_access_code
    client.post(url, _edit_data(consultation, remove_access_code="on"))
    consultation.refresh_from_db()
    assert not consultation.needs_access_code


def test_settings_errors_redisplay_the_form(client, consultation, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("consultations:edit", args=[consultation.slug]),
        _edit_data(
            consultation, opens_at="2026-05-01T10:00", closes_at="2026-04-01T10:00", title="Kept"
        ),
    )
    assert response.status_code == 200
    assert "must close after it opens" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.title == "Pittsburgh listens"


@pytest.mark.parametrize(
    ("role", "status"),
    [("registered", 403), ("member", 403), ("coordinator", 200), ("admin", 200)],
)
def test_settings_page_by_site_role(client, consultation, role, status):
    client.force_login(make_user(role))
    assert client.get(reverse("consultations:edit", args=[consultation.slug])).status_code == status
    assert (
        client.get(reverse("consultations:people", args=[consultation.slug])).status_code == status
    )


def test_coordinator_gives_and_removes_roles_by_choosing_an_account(client, consultation):
    person = make_user("registered")
    client.force_login(make_user("coordinator"))
    url = reverse("consultations:people", args=[consultation.slug])
    client.post(url, {"user": person.pk, "role": "facilitator"})
    role = ConsultationRole.objects.get(consultation=consultation, user=person)
    assert role.role == "facilitator"
    client.post(reverse("consultations:remove_role", args=[consultation.slug, role.pk]))
    assert not ConsultationRole.objects.filter(pk=role.pk).exists()


def test_a_moderator_sees_the_roles_but_cannot_change_them(client, consultation, moderator):
    client.force_login(moderator)
    url = reverse("consultations:people", args=[consultation.slug])
    page = client.get(url).content.decode()
    assert "Coordinators give and remove these roles." in page
    assert client.post(url, {"user": moderator.pk, "role": "facilitator"}).status_code == 403
    role = ConsultationRole.objects.get(user=moderator)
    response = client.post(reverse("consultations:remove_role", args=[consultation.slug, role.pk]))
    assert response.status_code == 403
    assert ConsultationRole.objects.filter(pk=role.pk).exists()


def test_an_inactive_account_cannot_be_chosen(client, consultation):
    person = make_user("registered")
    person.is_active = False
    person.save()
    client.force_login(make_user("coordinator"))
    response = client.post(
        reverse("consultations:people", args=[consultation.slug]),
        {"user": person.pk, "role": "moderator"},
    )
    assert response.status_code == 200
    assert not ConsultationRole.objects.filter(user=person).exists()


def test_the_tabs_show_each_person_only_what_they_may_open(client, consultation, moderator):
    detail = reverse("consultations:detail", args=[consultation.slug])
    queue = reverse("consultations:moderate", args=[consultation.slug])
    settings_url = reverse("consultations:edit", args=[consultation.slug])
    assert queue not in client.get(detail).content.decode()  # anonymous: no tabs
    facilitator = make_user("registered")
    services.assign_role(consultation, facilitator, "facilitator", actor=None)
    client.force_login(facilitator)
    page = client.get(detail).content.decode()
    assert settings_url in page and queue not in page
    client.force_login(moderator)
    page = client.get(detail).content.decode()
    assert settings_url in page and queue in page


def test_a_consultation_may_take_testimony_in_other_languages(client, consultation, moderator):
    client.force_login(moderator)
    url = reverse("consultations:edit", args=[consultation.slug])
    client.post(url, _edit_data(consultation, languages=["en"], other_languages="ht, so,vi"))
    consultation.refresh_from_db()
    assert consultation.languages == ["en", "ht", "so", "vi"]
    assert 'value="ht, so, vi"' in client.get(url).content.decode()
    form = client.get(reverse("consultations:give", args=[consultation.slug])).content.decode()
    for name in ("Kreyòl Ayisyen", "Soomaali", "Tiếng Việt"):  # each in its own name
        assert name in form
    testimony, _code = services.submit_testimony(consultation, make_input(language="ht"))
    assert testimony.language == "ht"


def test_an_unknown_language_code_is_refused_by_name(client, consultation, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("consultations:edit", args=[consultation.slug]),
        _edit_data(consultation, other_languages="ht, klingon"),
    )
    assert "Unknown language code: klingon" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.languages == ["en", "es", "fr"]
