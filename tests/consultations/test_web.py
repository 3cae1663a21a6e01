"""The public pages: consultation, testimony form, receipt, "my testimony"; identity view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import make_user
from uprhub.consultations import services
from uprhub.consultations.models import Identity, IdentityAccess, Testimony, TestimonyStatus
from uprhub.core.models import OutboxMessage
from uprhub.site.retention import purge

pytestmark = pytest.mark.django_db

CODE = re.compile(r'id="receipt-code"><strong>([A-Z0-9-]+)</strong>')


def give(client, consultation, **fields):
    data = {"text": "They cut the water to our street.", "language": "en", **fields}
    return client.post(reverse("consultations:give", args=[consultation.slug]), data)


def test_consultation_page(client, consultation):
    page = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert "Pittsburgh listens" in page and "United States" in page
    assert reverse("consultations:give", args=[consultation.slug]) in page


def test_form_is_anonymous_by_default_and_light(client, consultation, smtp_server):
    response = client.get(reverse("consultations:give", args=[consultation.slug]))
    page = response.content.decode()
    assert len(response.content) <= 60 * 1024
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    for name in (
        "quote_anonymously",
        "quote_named",
        "may_contact",
        "fears_reprisals",
        "email_receipt",
    ):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "checked" not in box, name
    for name in ("name", "email", "phone"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert "required" not in field, name
    assert "Only if you want" in page  # each identity field says why it is asked
    assert 'name="access_code"' not in page


def test_give_shows_receipt_once_and_code_opens_it(client, consultation):
    response = give(client, consultation, quote_anonymously="on")
    assert response["Cache-Control"] == "no-store"
    code = CODE.search(response.content.decode()).group(1)
    testimony = Testimony.objects.get()
    assert testimony.quote_anonymously and not testimony.quote_named
    assert not Identity.objects.exists()
    mine = reverse("consultations:mine", args=[consultation.slug])
    # The code never travels in an address: the "my testimony" link has none.
    assert (
        code not in response.content.decode().split("receipt-code", 1)[1].split("</strong>", 1)[1]
    )
    page = client.post(mine, {"code": code}).content.decode()
    assert "They cut the water to our street." in page
    page = client.post(
        mine,
        {"code": code, "action": "change", "text": "No water for six weeks.", "language": "es"},
    ).content.decode()
    assert "Your changes are saved" in page
    testimony.refresh_from_db()
    assert (testimony.text, testimony.language) == ("No water for six weeks.", "es")
    assert not testimony.quote_anonymously  # unticked in the change: consent withdrawn
    confirm = client.post(mine, {"code": code, "action": "withdraw"}).content.decode()
    assert "cannot be undone" in confirm and Testimony.objects.get().text  # not yet
    done = client.post(
        mine, {"code": code, "action": "withdraw", "confirm": "yes"}
    ).content.decode()
    assert "was withdrawn" in done
    assert Testimony.objects.get().status == TestimonyStatus.WITHDRAWN
    again = client.post(mine, {"code": code}).content.decode()
    assert "No testimony has this code" in again


def test_identity_not_shown_back_to_code_holder(client, consultation):
    response = give(client, consultation, name="Ana Lucía Torres", phone="412-555-0101")
    code = CODE.search(response.content.decode()).group(1)
    page = client.post(reverse("consultations:mine", args=[consultation.slug]), {"code": code})
    assert "Ana Lucía Torres" not in page.content.decode()
    assert "412-555-0101" not in page.content.decode()


def test_access_code_required_when_set(client, consultation):
    guarded = services.create_consultation(
        actor=None, slug="guarded", review=consultation.review, title="G", access_code="river-42"
    )
    page = give(client, guarded, access_code="nope").content.decode()
    assert "access code is not right" in page and not Testimony.objects.exists()
    assert CODE.search(give(client, guarded, access_code="river-42").content.decode())


def test_honeypot_gets_a_fake_receipt_and_stores_nothing(client, consultation):
    response = give(client, consultation, contact_website="http://spam.example")
    assert CODE.search(response.content.decode())
    assert not Testimony.objects.exists()


def test_a_bot_asking_for_the_receipt_by_mail_sees_the_page_a_person_sees(
    client, consultation, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = give(client, consultation, email="maria@example.org", email_receipt="on")
        bot = give(
            client,
            consultation,
            email="bot@example.org",
            email_receipt="on",
            contact_website="http://spam.example",
        )
    sentence = "We are also sending it to the e-mail address you gave."
    assert sentence in person.content.decode()
    assert sentence in bot.content.decode()
    assert Testimony.objects.count() == 1


def test_rate_limited(client, consultation, settings):
    settings.UPRHUB_RATE_LIMITS = {**settings.UPRHUB_RATE_LIMITS, "testimony": "2/h"}
    assert give(client, consultation).status_code == 200
    assert give(client, consultation).status_code == 200
    assert give(client, consultation).status_code == 429
    assert Testimony.objects.count() == 2


def test_receipt_emailed_only_when_asked_and_forgotten_once_sent(
    client, consultation, smtp_server, site_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        give(client, consultation, email="maria@example.org")
    assert smtp_server.messages == []
    assert not OutboxMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = give(client, consultation, email="maria@example.org", email_receipt="on")
    code = CODE.search(response.content.decode()).group(1)
    mail = smtp_server.only()
    assert mail.rcpt_tos == ["maria@example.org"]
    assert code in mail.text
    assert "Pittsburgh" not in mail.subject  # nothing about the consultation on a lock screen
    assert f"http://testserver/listen/{consultation.slug}/mine/" in mail.links()
    # Sent: the message (address and code) is deleted by the next purge.
    assert OutboxMessage.objects.count() == 1
    assert purge().consultation_receipt_mails == 1
    assert not OutboxMessage.objects.exists()


def test_a_handled_receipt_email_keeps_neither_address_nor_code(
    client, consultation, smtp_server, site_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = give(client, consultation, email="maria@example.org", email_receipt="on")
    code = CODE.search(response.content.decode()).group(1)
    assert smtp_server.only().rcpt_tos == ["maria@example.org"]
    (row,) = OutboxMessage.objects.values_list("to", "subject", "text", "html")
    assert not any("maria@example.org" in value or code in value for value in row)


def test_email_receipt_needs_an_address(client, consultation, smtp_server):
    page = give(client, consultation, email_receipt="on").content.decode()
    assert "give an e-mail address" in page and not Testimony.objects.exists()


def test_identity_page_for_moderators_only(client, consultation, moderator):
    testimony, _ = services.submit_testimony(
        consultation,
        services.TestimonyInput(text="t", language="en"),
        services.IdentityInput(name="Ana Lucía Torres"),
    )
    url = reverse("consultations:identity", args=[consultation.slug, testimony.pk])
    assert client.get(url).status_code == 302  # to the log-in
    client.force_login(make_user("admin"))
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    response = client.get(url)
    assert "Ana Lucía Torres" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert IdentityAccess.objects.filter(user=moderator).count() == 1


def test_contacts_download_is_for_moderators_and_recorded(client, consultation, moderator):
    from .conftest import make_input

    services.submit_testimony(
        consultation,
        make_input(may_contact=True),
        services.IdentityInput(name="Rosa Contact", email="rosa@example.org"),
    )
    services.submit_testimony(  # gave a name but did not agree to be contacted
        consultation, make_input(), services.IdentityInput(name="Nadia Quiet")
    )
    url = reverse("consultations:contacts", args=[consultation.slug])
    client.force_login(make_user("coordinator"))
    assert client.post(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 405  # a deliberate POST, never a followed link
    response = client.post(url)
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    assert "Rosa Contact" in body and "rosa@example.org" in body
    assert "Nadia Quiet" not in body
    assert IdentityAccess.objects.filter(user=moderator).count() == 1


def test_the_person_may_tick_what_it_is_about_and_it_reaches_moderators_as_a_suggestion(
    client, consultation, moderator
):
    from tests.factories import ThemeFactory
    from uprhub.consultations import suggesting, topics
    from uprhub.consultations.models import TestimonyTag

    form = client.get(reverse("consultations:give", args=[consultation.slug])).content.decode()
    assert "Prisons, jails and detention" in form and 'value="detention"' in form
    refused = give(client, consultation, themes=["detention", "not-a-topic"])
    assert refused.status_code == 200 and "not one of the available choices" in refused.text
    assert not Testimony.objects.exists()
    give(client, consultation, themes=["detention", "water"])
    testimony = Testimony.objects.get()
    assert testimony.answers["themes"] == ["Detention", "Right to water"]
    for _key, _label, issue in topics.TOPICS:  # every topic stands for a real issue
        ThemeFactory(name=issue)
    suggesting.suggest([testimony], compute_vectors=False)
    picked = TestimonyTag.objects.filter(testimony=testimony, theme__name="Detention")
    assert picked.get().status == "pending"  # a suggestion, never a label by itself
    assert picked.get().model_version == suggesting.PARTICIPANT


def test_no_theme_picker_when_the_consultation_does_not_ask(client, consultation):
    consultation.questions = {"themes": False, "government": True}
    consultation.save()
    form = client.get(reverse("consultations:give", args=[consultation.slug])).content.decode()
    assert "Prisons, jails and detention" not in form


def test_without_a_mail_server_the_receipt_is_never_said_to_be_mailed(
    client, consultation, django_capture_on_commit_callbacks
):
    # Default settings: no UPRHUB_EMAIL_HOST, mail is only printed to the server's log.
    form = client.get(reverse("consultations:give", args=[consultation.slug])).content.decode()
    assert 'name="email_receipt"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        page = give(client, consultation, email="maria@example.org", email_receipt="on")
    assert CODE.search(page.content.decode())  # stored, the code shown
    assert "We are also sending it" not in page.content.decode()
    assert not OutboxMessage.objects.exists()  # nothing with her address and code in any log
    with pytest.raises(services.ConsultationError, match="cannot send e-mail"):
        services.submit_testimony(
            consultation,
            services.TestimonyInput(text="Again.", language="en"),
            services.IdentityInput(email="maria@example.org"),
            email_receipt=True,
        )
