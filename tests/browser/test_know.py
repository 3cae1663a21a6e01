"""The explorer in a real browser, and axe-core on the pages of the "Know" capability."""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse

from tests.web.factories import make_web_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("UPRHUB_SCREENSHOTS", "")


@pytest.fixture
def data(transactional_db):
    return make_web_data(extra=25)


def shown_total(page) -> int:
    return int(page.locator("#results-title").get_attribute("data-result-count"))


def facet_counts(page, name: str) -> dict[str, str]:
    counts = {}
    for box in page.locator(f"input[type=checkbox][name={name}]").all():
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        counts[box.get_attribute("value")] = label.locator("[data-facet-count]").inner_text()
    return counts


def test_explorer_query_then_facet(live_server, page, data):
    page.goto(live_server.url + reverse("recommendations:explorer"))
    everything = shown_total(page)
    assert everything == 32

    page.get_by_label("Words to look for").fill("torture")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"[?&]q=torture"))
    after_text = shown_total(page)
    assert 0 < after_text < everything
    positions_before = facet_counts(page, "position")
    cycles_before = facet_counts(page, "cycle")

    # Ticking a box submits the form (progressive enhancement) and keeps the query.
    with page.expect_navigation():
        page.get_by_role("checkbox", name=re.compile(r"^Noted")).check()
    assert "position=noted" in page.url and "q=torture" in page.url
    after_facet = shown_total(page)
    assert 0 < after_facet < after_text
    assert facet_counts(page, "cycle") != cycles_before
    assert page.get_by_role("checkbox", name=re.compile(r"^Noted")).is_checked()
    # Counts of the facet being filtered stay those of the other filters (so you can widen).
    assert facet_counts(page, "position") == positions_before
    # Focus returns to the box that was used.
    assert page.evaluate("document.activeElement.value") == "noted"
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/explorer-filtered.png", full_page=True)


def test_explorer_works_without_javascript(live_server, browser, data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + reverse("recommendations:explorer") + "?q=torture")
        before = shown_total(page)
        page.get_by_role("checkbox", name=re.compile(r"^Noted")).check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"position=noted"))
        assert shown_total(page) < before
    finally:
        context.close()


def test_keyboard_skip_link(live_server, page, data):
    page.goto(live_server.url + reverse("core:home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def _pages(data) -> dict[str, str]:
    return {
        "home": reverse("core:home"),
        "explorer": reverse("recommendations:explorer") + "?q=torture&cycle=3",
        "recommendation": data.recommendations[2].get_absolute_url(),
        "state": reverse("reviews:state", args=["USA"]),
        "state-list": reverse("reviews:state_list"),
        "not-found": "/no-such-page/",
    }


@pytest.mark.parametrize(
    "name", ["home", "explorer", "recommendation", "state", "state-list", "not-found"]
)
def test_no_serious_accessibility_violations(live_server, page, data, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server.url + _pages(data)[name])
    # Open every disclosure so the tables behind the charts are checked too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    if serious:
        print(results.generate_report())
    assert not serious, [(v["id"], v["help"], len(v["nodes"])) for v in serious]
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)
