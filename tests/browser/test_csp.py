"""The Content-Security-Policy in a real browser: the main pages load and work with no
violation reported (console or `securitypolicyviolation` event), /api/docs included."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, OrganisationFactory, make_user
from tests.web.factories import make_web_data
from uprhub.accounts.models import Membership
from uprhub.search import service as search

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright injects it, the page's CSP does not apply to it).
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP complaint it reports collected in `page.csp_reports`."""
    reports: list[str] = []
    page.add_init_script(LISTEN)
    page.on(
        "console",
        lambda message: (
            reports.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: reports.append(f"page error: {error}"))
    page.csp_reports = reports
    return page


def visit(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response.status == 200, url
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__csp")


@pytest.fixture
def world(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    search.clear_caches()
    data = make_web_data()
    ahr = OrganisationFactory(name="Advocates for Human Rights", acronym="AHR", city="Minneapolis")
    lead = make_user("member", email="lena@example.org", password=PASSWORD, name="Lena Lead")
    Membership.objects.create(user=lead, organisation=ahr)
    return data


def test_public_pages_have_no_csp_violation(live_server, watched, world):
    base = live_server.url
    pages = {
        "home": reverse("core:home"),
        "explorer": reverse("recommendations:explorer"),
        "search": reverse("recommendations:explorer") + "?q=torture",
        "State": reverse("reviews:state", args=["USA"]),
        "recommendation": world.recommendations[0].get_absolute_url(),
        "sign-up (honeypot)": reverse("accounts:signup"),
        "mailing lists": reverse("mailinglists:index"),
        "calendar": reverse("calendar:index"),
        "State calendar (countdown script)": reverse("calendar:state", args=["USA"]),
    }
    violations = {
        name: found for name, url in pages.items() if (found := visit(watched, base + url))
    }
    assert violations == {}
    assert watched.csp_reports == []

    # The explorer's script runs: ticking a facet submits the form by itself.
    watched.goto(base + pages["explorer"])
    with watched.expect_navigation():
        watched.get_by_role("checkbox", name=re.compile(r"^Noted")).check()
    assert "position=noted" in watched.url
    # The State page's charts are drawn (SVG bars, no inline style).
    watched.goto(base + pages["State"])
    widths = watched.locator("svg.bar-track rect").evaluate_all(
        "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert widths and max(widths) > 50
    assert watched.evaluate("window.__csp") == [] and watched.csp_reports == []


def test_api_docs_work_under_the_policy(live_server, watched, world):
    assert visit(watched, live_server.url + "/api/docs") == []
    # Swagger UI rendered the OpenAPI document it fetched.
    watched.locator(".swagger-ui .info .title").wait_for()
    assert "UPR Hub" in watched.locator(".swagger-ui .info .title").inner_text()
    assert watched.locator(".opblock").count() > 3
    assert watched.evaluate("window.__csp") == [] and watched.csp_reports == []


def test_report_editor_has_no_csp_violation(live_server, watched, world):
    base = live_server.url
    watched.goto(base + reverse("accounts:login"))
    watched.get_by_label("E-mail address").fill("lena@example.org")
    watched.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    watched.get_by_role("button", name="Log in").click()
    watched.wait_for_url(re.compile(r"/accounts/profile/$"))
    watched.goto(base + reverse("reports:create"))
    watched.get_by_label("State and session").select_option(
        label="United States — UPR 50 (cycle 4)"
    )
    watched.get_by_role("radio", name="Individual submission").check()
    watched.get_by_role("button", name="Start the report").click()
    watched.wait_for_url(re.compile(r"/reports/\d+/$"))
    watched.wait_for_load_state("networkidle")
    assert watched.locator("script#editor-strings").count() == 1  # the editor's data block
    assert visit(watched, watched.url) == []
    assert watched.csp_reports == []
