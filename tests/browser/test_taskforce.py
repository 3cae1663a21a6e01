"""Join the UPR Taskforce in a real browser: apply, a coordinator approves, the applicant
chooses a password and logs in. axe-core checks the application, queue and login pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, make_user
from tests.factories import ThemeFactory, VocabularyFactory
from tests.smtp import smtp_controller, smtp_server  # noqa: F401 (fixtures)

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT_PASSWORD = "my-own-passphrase-2026"


@pytest.fixture
def world(transactional_db, settings, live_server, smtp_server):  # noqa: F811
    settings.UPRHUB_SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vocabulary = VocabularyFactory(slug="uprinfo-issues")
    for name in ("Right to housing", "Indigenous peoples", "Death penalty"):
        ThemeFactory(vocabulary=vocabulary, name=name)
    coordinator = make_user(
        "coordinator", email="cora@example.org", password=PASSWORD, name="Cora Ordinator"
    )
    return coordinator


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(base + reverse("accounts:login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.get_by_role("button", name="Log in").click()


def test_apply_approve_and_log_in(live_server, browser, page, world, smtp_server):  # noqa: F811
    base = live_server.url

    # 1. Anyone applies, no account needed.
    page.goto(base + reverse("coalition:apply"))
    assert_accessible(page, "application form")
    page.get_by_label("Your name").fill("Fannie Lou Hamer")
    page.get_by_label("Your e-mail address").fill("fannie@example.org")
    page.get_by_label("Your organisation").fill("Freedom Farm")
    page.get_by_label("Your role in the organisation").fill("Founder")
    page.get_by_role("checkbox", name="Right to housing").check()
    page.get_by_role("radio", name="Some", exact=True).check()
    page.get_by_label("City").fill("Ruleville")
    page.get_by_label("US state or territory").select_option("MS")
    page.get_by_label("Languages").fill("English")
    page.get_by_label("Why do you want to join the UPR Taskforce?").fill(
        "Voting rights and land for Black farmers."
    )
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(re.compile(r"/taskforce/apply/thanks/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you for applying"
    (confirmation,) = smtp_server.to("fannie@example.org")
    assert "received your application" in confirmation.subject

    # 2. A coordinator reviews the queue and approves with a message.
    log_in(page, base, "cora@example.org", PASSWORD)
    page.wait_for_url(re.compile(r"/accounts/profile/$"))
    page.goto(base + reverse("coalition:queue"))
    assert_accessible(page, "review queue")
    page.get_by_role("link", name="Fannie Lou Hamer").click()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_label("Message to the applicant").fill("Welcome to the housing group!")
    page.get_by_role("button", name="Save and e-mail the applicant").click()
    page.wait_for_url(re.compile(r"/taskforce/applications/$"))
    assert "Decision saved" in page.content()

    # 3. The applicant follows the e-mailed link, chooses a password and logs in.
    (approval,) = [m for m in smtp_server.to("fannie@example.org") if "Welcome" in m.subject]
    assert "Welcome to the housing group!" in approval.text
    (link,) = [url for url in approval.links() if "/accounts/password/choose/" in url]
    assert link.startswith(base)

    context = browser.new_context(locale="en-GB")
    applicant = context.new_page()
    try:
        applicant.goto(link)
        applicant.get_by_label(re.compile(r"^New password:?$")).fill(APPLICANT_PASSWORD)
        applicant.get_by_label("New password confirmation").fill(APPLICANT_PASSWORD)
        applicant.get_by_role("button", name="Save password").click()
        applicant.wait_for_url(re.compile(r"/accounts/login/$"))
        assert_accessible(applicant, "login page")
        log_in(applicant, base, "fannie@example.org", APPLICANT_PASSWORD)
        applicant.wait_for_url(re.compile(r"/accounts/profile/$"))
        assert applicant.get_by_role("heading", level=1).inner_text() == "Your profile"
        applicant.goto(base + reverse("coalition:directory"))
        assert urlsplit(applicant.url).path == reverse("coalition:directory")
        # Nobody is listed in the directory until they choose it in their profile.
        assert "Fannie Lou Hamer" not in applicant.content()
        applicant.goto(base + reverse("accounts:profile"))
        applicant.get_by_label("List me in the members' directory").check()
        applicant.get_by_role("button", name="Save profile").click()
        applicant.wait_for_url(re.compile(r"/accounts/profile/$"))
        applicant.goto(base + reverse("coalition:directory"))
        assert "Fannie Lou Hamer" in applicant.content()
    finally:
        context.close()
