"""The carry-forward panels on the real recommendation and State pages (HTTP client): earlier
and later cycles, published grades only, "new", bounded queries, the page cache (both
databases)."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from tests.followup.carry_data import add, position, theme, usa_cycles
from uprhub.followup.models import CarryForward, PositionStatus

pytestmark = pytest.mark.django_db

MORATORIUM = "Impose a moratorium on executions with a view to abolishing the death penalty"


@pytest.fixture
def linked():
    state, first, third = usa_cycles()
    # The cycles' vocabularies differ: one name in both, and an equivalence recorded.
    earlier = add(first, MORATORIUM, theme=theme("Death penalty"))
    later = add(
        third, "Abolish the death penalty nationwide", "26.211", theme("Death penalty", "ohchr")
    )
    new = add(
        third, "Reconsider the withdrawal from the Paris Agreement on climate change", "26.64"
    )
    women = theme("Women's rights")
    women.same_as.add(theme("Rights of women", "ohchr"))
    add(first, "Ratify CEDAW", theme=women)
    add(
        third,
        "Ratify the Convention on the Elimination of All Forms of Discrimination",
        "26.47",
        women.same_as.get(),
    )
    CarryForward.objects.create(later=later, earlier=earlier, kind="strengthened", score=0.7)
    return state, earlier, later, new


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_later_page_shows_the_earlier_one_and_its_published_grade(client, linked):
    _state, earlier, later, _new = linked
    html = _page(client, later.get_absolute_url())
    assert "Earlier recommendations on the same measure" in html
    assert earlier.get_absolute_url() in html
    assert "Strengthened" in html and "Cycle 1, UPR 9" in html
    assert "No published assessment of it yet." in html
    assert "still not implemented" not in html
    position(earlier, "C", published=True)
    html = _page(client, later.get_absolute_url())
    assert "Recommended again, still not implemented" in html
    assert "Not satisfactory" in html or "C –" in html or "Mid-term 2012" in html


def test_a_draft_grade_never_shows(client, linked):
    _state, earlier, later, _new = linked
    draft = position(earlier, "E", published=False)
    html = _page(client, later.get_absolute_url())
    assert "still not implemented" not in html
    assert "Mid-term 2012" not in html
    assert "No published assessment of it yet." in html
    draft.status = PositionStatus.IN_REVIEW
    draft.save()
    assert "Mid-term 2012" not in _page(client, later.get_absolute_url())


def test_earlier_page_says_recommended_again_and_new_page_says_new(client, linked):
    _state, earlier, later, new = linked
    html = _page(client, earlier.get_absolute_url())
    assert "Recommended again in cycle 3" in html
    assert later.get_absolute_url() in html
    html = _page(client, new.get_absolute_url())
    assert "New in this cycle" in html


def test_state_page_summary_and_timeline(client, linked):
    state, earlier, _later, _new = linked
    html = _page(client, f"/states/{state.code}/")
    assert "Recommended again across cycles" in html
    assert "1 of the 3 recommendations of cycle 3 repeat or strengthen earlier ones." in html
    assert "No published assessment of the earlier ones yet." in html
    panel = html[html.index("carry-state-title") :]
    panel = panel[: panel.index("</section>")]
    # One row for the two vocabularies' "Death penalty" (a theme per cycle here).
    assert panel.count('<th scope="row">Death penalty</th>') == 1
    # Joined by same_as: one row, whichever of the two names it shows.
    assert panel.count("Women&#x27;s rights</th>") + panel.count("Rights of women</th>") == 1
    assert "R 0, S 1, N 0" in html
    position(earlier, "D", published=True)
    html = _page(client, f"/states/{state.code}/")
    assert "1 of those is still not implemented" in html
    assert "No information: 1" in html


def test_publishing_invalidates_the_cached_state_page(client, linked, settings):
    settings.UPRHUB_PAGE_CACHE_SECONDS = 60
    state, earlier, _later, _new = linked
    url = f"/states/{state.code}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    draft = position(earlier, "C", published=False)
    assert client.get(url)["X-Page-Cache"] == "hit"  # a draft changes no public page
    draft.status = PositionStatus.PUBLISHED
    draft.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "1 of those is still not implemented" in response.content.decode()
    caches["pages"].clear()


def test_panels_queries_are_bounded(client, linked, django_assert_max_num_queries):
    _state, earlier, later, _new = linked
    position(earlier, "C", published=True)
    for n in range(30):
        other = add(later.review, f"Abolish the death penalty in state number {n}", f"26.{300 + n}")
        CarryForward.objects.create(later=other, earlier=earlier, kind="strengthened", score=0.6)
    with django_assert_max_num_queries(20):
        _page(client, later.get_absolute_url())
    with django_assert_max_num_queries(25):
        _page(client, f"/states/{later.review.state.code}/")


def test_relinking_invalidates_the_cached_pages(client, linked, settings):
    from uprhub.followup import carry_forward

    settings.UPRHUB_PAGE_CACHE_SECONDS = 60
    state, _earlier, later, _new = linked
    url = f"/states/{state.code}/"
    client.get(url)
    client.get(later.get_absolute_url())
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(later.get_absolute_url())["X-Page-Cache"] == "hit"
    carry_forward.link_cycles(later.review)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(later.get_absolute_url())["X-Page-Cache"] == "miss"
    caches["pages"].clear()
