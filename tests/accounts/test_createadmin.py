"""`uprhub createadmin EMAIL`: the first administrator, and how an administrator is shown."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.accounts.choices import Role
from uprhub.accounts.models import RoleChange
from uprhub.accounts.selectors import has_admin

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long pass phrase 42"


def createadmin(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_createadmin_prints_a_set_password_link_that_works(client, site_url):
    assert not has_admin()
    output = createadmin("Root@Example.org", "--name", "Ana Admin")
    assert "root@example.org is an administrator." in output
    (link,) = [word for word in output.split() if "/accounts/password/choose/" in word]
    assert link.startswith("http://testserver/")

    admin = get_user_model().objects.get(email="root@example.org")
    assert admin.is_superuser and admin.is_staff and admin.is_active
    assert not admin.has_usable_password()
    assert admin.profile.role == Role.ADMIN and admin.profile.full_name == "Ana Admin"
    assert admin.profile.email_verified_at is not None
    assert RoleChange.objects.get(user=admin).reason == "uprhub createadmin"
    assert has_admin()

    form = client.get(urlsplit(link).path, follow=True)
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else urlsplit(link).path,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password is set" in response.content.decode()
    assert client.login(username="root@example.org", password=NEW_PASSWORD)
    assert client.get(reverse("core:outbox")).status_code == 200


def test_createadmin_asks_for_a_password(monkeypatch):
    answers = iter(["short", "short", NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    err = io.StringIO()
    out = io.StringIO()
    call_command("createadmin", "root@example.org", "--password", stdout=out, stderr=err)
    assert "too short" in err.getvalue()
    assert "Log in with this address and the password." in out.getvalue()
    assert get_user_model().objects.get(email="root@example.org").check_password(NEW_PASSWORD)


def test_createadmin_promotes_an_existing_account_and_refuses_a_non_address():
    member = make_user("member", email="bea@example.org", name="Bea")
    createadmin("bea@example.org")
    member.refresh_from_db()
    assert member.is_superuser and member.profile.role == Role.ADMIN
    assert get_user_model().objects.filter(email="bea@example.org").count() == 1
    with pytest.raises(CommandError):
        createadmin("not-an-address")


def test_a_superuser_is_shown_as_administrator_not_as_without_role(client):
    # The form `createsuperuser` makes: no role on the profile at all.
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)
    profile_page = client.get(reverse("accounts:profile")).content.decode()
    assert "Role: Administrator." in profile_page
    assert "no role yet" not in profile_page
    people = client.get(reverse("accounts:people")).content.decode()
    assert f'<select id="role-{superuser.pk}"' in people
    row = people.split(f'<select id="role-{superuser.pk}"')[1].split("</select>")[0]
    assert '<option value="admin" selected>' in row
