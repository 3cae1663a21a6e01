"""Follow up in a real browser: an assessor assesses a cluster of twelve in one step and sends
it for review, a reviewer publishes the queue, and the public sees the scorecard. Every page
axe-clean."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.urls import reverse

from tests.accounts.factories import OrganisationFactory, make_user
from tests.browser.axe import assert_accessible
from tests.factories import RecommendationFactory, ReviewFactory, StateFactory, ThemeFactory
from uprhub.accounts.models import Membership
from uprhub.followup import rounds
from uprhub.followup.models import Cluster, Position, PositionStatus, Scale

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("UPRHUB_SCREENSHOTS", "")
PASSWORD = "a long and private passphrase 42"


@pytest.fixture
def world(transactional_db):
    usa = StateFactory(code="USA", iso3="USA", short_name="United States")
    review = ReviewFactory(state=usa)
    theme = ThemeFactory(name="Death penalty")
    cluster = Cluster.objects.create(review=review, label="Abolish the death penalty")
    members = [
        RecommendationFactory(
            review=review,
            paragraph=f"26.{n}",
            text=f"Impose a moratorium on executions with a view to abolition ({n})",
            position="supported" if n % 4 else "noted",
            themes=[theme],
        )
        for n in range(1, 13)
    ]
    cluster.recommendations.set(members)
    round_ = rounds.create_round(
        None,
        review=review,
        name="Mid-term 2022",
        slug="midterm-2022",
        scale=Scale.objects.get(slug="hrc-follow-up"),
        as_of=datetime.date(2022, 11, 1),
    )
    organisation = OrganisationFactory(name="Death Penalty Focus")
    assessor = make_user("member", email="assessor@example.org", password=PASSWORD)
    Membership.objects.create(user=assessor, organisation=organisation)
    reviewer = make_user("member", email="reviewer@example.org", password=PASSWORD)
    rounds.add_role(None, round_, assessor, "assessor", organisation=organisation)
    rounds.add_role(None, round_, reviewer, "reviewer")
    return round_, cluster, members


def _log_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}.png", full_page=True)


def test_assess_a_cluster_review_publish_and_see_the_scorecard(live_server, browser, world):
    round_, cluster, members = world
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # The assessor: from the round to the cluster, one step for twelve.
        _log_in(page, live_server, "assessor@example.org")
        page.goto(live_server.url + reverse("followup:round", args=[round_.slug]))
        assert_accessible(page, "round")
        page.get_by_role("link", name="Work on the assessments").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Work on Mid-term 2022"
        assert_accessible(page, "work list")
        page.goto(live_server.url + reverse("followup:cluster", args=[round_.slug, cluster.pk]))
        assert_accessible(page, "cluster")
        page.get_by_label("The coalition's draft position").check()
        page.get_by_label("Grade for all").select_option(label="C – Not satisfactory")
        page.get_by_label("Rationale for all").fill(
            "Executions continued; no step towards a moratorium."
        )
        page.get_by_label("Grade for 26.1", exact=True).select_option(
            label="E – Contrary to the recommendation"
        )
        _shot(page, "followup-cluster")
        page.get_by_role("button", name="Save the whole cluster").click()
        assert "12 recommendations of the cluster are assessed." in page.inner_text("main")
        page.get_by_role("button", name="Send the drafts for review").click()
        assert "12 positions were sent for review." in page.inner_text("main")
        assert set(Position.objects.values_list("status", flat=True)) == {PositionStatus.IN_REVIEW}
        assert Position.objects.get(recommendation=members[0]).grade.code == "E"
        page.get_by_role("button", name=re.compile("Log out")).click()

        # The reviewer: the queue, all ticked, published.
        _log_in(page, live_server, "reviewer@example.org")
        page.goto(live_server.url + reverse("followup:review_queue", args=[round_.slug]))
        assert "12 positions wait for review." in page.inner_text("main")
        assert_accessible(page, "review queue")
        for box in page.get_by_role("checkbox").all():
            box.check()
        page.get_by_role("button", name="Publish the chosen positions").click()
        assert "12 positions were published." in page.inner_text("main")
        assert Position.objects.published().count() == 12
        page.get_by_role("button", name=re.compile("Log out")).click()

        # The public: the scorecard, its headline, its charts with their tables.
        page.goto(live_server.url + reverse("followup:index"))
        assert_accessible(page, "scorecards")
        page.get_by_role("link", name=re.compile("United States, cycle")).click()
        main = page.inner_text("main")
        assert "Supported but not implemented" in main or "supported but not implemented" in main
        assert "26.1" in main and "Executions continued" in main
        assert page.locator("svg[role=img]").count() >= 1
        assert_accessible(page, "scorecard", open_details=True)
        _shot(page, "followup-scorecard")
    finally:
        context.close()
