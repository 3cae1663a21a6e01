"""Sign-up → verification e-mail over real SMTP → verify link → log in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from uprhub.accounts import tokens

from .factories import PASSWORD, make_user
from .grid import without_csrf

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Fannie Lou Hamer",
    "email": "Fannie@Example.org",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def path_of(url: str) -> str:
    return urlsplit(url).path


def verify(client, link: str):
    """Open the link (a page with a button), then press the button (a POST with the token)."""
    page = client.get(path_of(link))
    if page.status_code != 200:
        return page
    token = path_of(link).rstrip("/").rsplit("/", 1)[-1]
    return client.post(reverse("accounts:verify_email_submit"), {"token": token})


def sign_up(client, capture, data=SIGNUP):
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), data)


def test_signup_verify_then_login(
    client, smtp_server, site_url, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")

    user = get_user_model().objects.get(email="fannie@example.org")
    assert not user.is_active
    assert user.profile.full_name == "Fannie Lou Hamer"
    assert user.check_password(PASSWORD)

    mail = smtp_server.only()
    assert mail.rcpt_tos == ["fannie@example.org"]
    assert mail.subject == "Confirm your e-mail address for UPR Hub"
    assert mail.message["From"] == "UPR Hub <upr@localhost>"
    assert mail.html is not None
    (link,) = [url for url in mail.links() if "/accounts/verify/" in url]
    assert link.startswith("http://testserver/")

    # Not verified yet: logging in fails with the generic message.
    response = client.post(
        reverse("accounts:login"), {"username": "fannie@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

    response = verify(client, link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.is_active
    assert user.profile.email_verified_at is not None

    # The address is what people log in with, in any case.
    response = client.post(
        reverse("accounts:login"), {"username": "FANNIE@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_replayed_link_does_not_reactivate(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(email="fannie@example.org")
    link = reverse("accounts:verify_email", args=[tokens.make_email_verification_token(user)])
    verify(client, link)
    user.refresh_from_db()
    assert user.is_active
    user.is_active = False  # an administrator switches the account off
    user.save()
    verify(client, link)
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda user: "garbage", id="garbage"),
        pytest.param(
            lambda user: tokens.make_email_verification_token(user)[:-2] + "xx", id="tampered"
        ),
        pytest.param(
            lambda user: signing.TimestampSigner(salt="another-purpose").sign_object(
                {"u": user.pk, "e": user.email}
            ),
            id="other-purpose",
        ),
        pytest.param(
            lambda user: signing.TimestampSigner(salt=tokens.EMAIL_VERIFICATION_SALT).sign_object(
                {"u": user.pk, "e": "someone.else@example.org"}
            ),
            id="other-address",
        ),
    ],
)
def test_bad_verification_links(client, make_token):
    user = make_user(verified=False)
    response = client.get(reverse("accounts:verify_email", args=[make_token(user)]))
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


def test_verification_link_expires(client, settings):
    user = make_user(verified=False)
    with time_machine.travel("2030-01-01 12:00 +0000", tick=False):
        token = tokens.make_email_verification_token(user)
    with time_machine.travel("2030-01-05 12:00 +0000", tick=False):
        response = client.get(reverse("accounts:verify_email", args=[token]))
    assert response.status_code == 400


def test_password_reset_token_cannot_verify(client):
    from django.contrib.auth.tokens import default_token_generator

    user = make_user(verified=False)
    response = client.get(
        reverse("accounts:verify_email", args=[default_token_generator.make_token(user)])
    )
    assert response.status_code == 400


def test_signup_is_the_same_for_known_addresses(
    client, smtp_server, site_url, django_capture_on_commit_callbacks
):
    """No user enumeration: the response for a taken address equals that for a new one."""
    make_user(email="taken@example.org")
    users_before = get_user_model().objects.count()

    known = sign_up(
        client, django_capture_on_commit_callbacks, {**SIGNUP, "email": "TAKEN@example.org"}
    )
    unknown = sign_up(
        client, django_capture_on_commit_callbacks, {**SIGNUP, "email": "free@example.org"}
    )
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert without_csrf(client.get(known["Location"]).content) == without_csrf(
        client.get(unknown["Location"]).content
    )
    assert get_user_model().objects.count() == users_before + 1

    # The owner of the taken address is told instead; nothing is created for it.
    (told,) = smtp_server.to("taken@example.org")
    assert told.subject == "Your UPR Hub account"
    assert any("/accounts/password/reset/" in link for link in told.links())


def test_signup_validates_password(client):
    response = client.post(
        reverse("accounts:signup"), {**SIGNUP, "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert b"error-summary" in response.content
    assert b'aria-invalid="true"' in response.content
    assert not get_user_model().objects.filter(email="fannie@example.org").exists()


def test_login_error_does_not_tell_which_part_is_wrong(client):
    make_user(email="known@example.org", password=PASSWORD)
    wrong_password = client.post(
        reverse("accounts:login"), {"username": "known@example.org", "password": "nope-nope-1"}
    )
    no_account = client.post(
        reverse("accounts:login"), {"username": "unknown@example.org", "password": "nope-nope-1"}
    )
    assert wrong_password.status_code == no_account.status_code == 200
    message = b"That e-mail address and password do not match an active account."
    assert message in wrong_password.content and message in no_account.content


def test_logout_needs_post(client):
    client.force_login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_signing_up_again_before_confirming_replaces_password_and_old_links(
    client, smtp_server, site_url, django_capture_on_commit_callbacks
):
    other = "someone-elses-passphrase-9"
    sign_up(
        client,
        django_capture_on_commit_callbacks,
        {**SIGNUP, "password1": other, "password2": other},
    )
    sign_up(client, django_capture_on_commit_callbacks)
    assert get_user_model().objects.filter(email="fannie@example.org").count() == 1
    first, second = (
        next(url for url in mail.links() if "/accounts/verify/" in url)
        for mail in smtp_server.to("fannie@example.org")
    )
    assert verify(client, first).status_code == 400
    assert verify(client, second).status_code == 302
    user = get_user_model().objects.get(email="fannie@example.org")
    assert user.is_active
    assert user.check_password(PASSWORD) and not user.check_password(other)
