"""Pages in Spanish and French show State, theme and vocabulary names and data notes in the
visitor's language; searching and facet values keep the stored English names and codes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import ReviewFactory, SessionFactory, ThemeFactory
from tests.web.factories import make_web_data
from uprhub.calendar.models import Deadline, DeadlineKind

EXPLORER = reverse("recommendations:explorer")


@pytest.fixture
def web_data(db):
    return make_web_data()


def _get(client, url: str, language: str, **params) -> str:
    client.cookies["django_language"] = language
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    return html


def test_explorer_facets_in_spanish_and_french(client, web_data):
    english = _get(client, EXPLORER, "en")
    assert "France" in english and "Women&#x27;s rights" in english
    assert "UPR Info issues" in english

    spanish = _get(client, EXPLORER, "es")
    assert "Francia" in spanish and "Brasil" in spanish
    assert "Derechos de la mujer" in spanish
    assert "Condiciones de reclusión" in spanish
    assert "Temas de UPR Info" in spanish
    assert "Estados Unidos, recomendación" in spanish or "Estados Unidos" in spanish

    french = _get(client, EXPLORER, "fr")
    assert "Droits des femmes" in french and "États-Unis" in french
    assert "Thèmes d&#x27;UPR Info" in french


def test_filter_values_stay_codes_and_chips_are_translated(client, web_data):
    html = _get(client, EXPLORER, "es", recommending_state="FRA", theme=web_data.women.pk)
    assert 'name="recommending_state" value="FRA" checked' in html
    assert "Francia" in html and "Derechos de la mujer" in html


def test_state_page_in_spanish_and_french(client, web_data):
    url = reverse("reviews:state", args=["USA"])
    spanish = _get(client, url, "es")
    assert "<h1>Estados Unidos</h1>" in spanish
    assert "Derechos de la mujer" in spanish
    assert "Los Estados Unidos no participaron; el examen se reprogramó" in spanish
    assert "The United States did not take part" not in spanish

    french = _get(client, url, "fr")
    assert "<h1>États-Unis</h1>" in french
    assert "Les États-Unis n&#x27;ont pas participé" in french

    english = _get(client, url, "en")
    assert "<h1>United States of America</h1>" in english
    assert "The United States did not take part; review rescheduled" in english


def test_state_list_is_in_the_alphabetical_order_of_the_language(client, web_data):
    # The list shows reviewed States only: give France a review too.
    ReviewFactory(state=web_data.france, session=SessionFactory(number=22))
    html = _get(client, reverse("reviews:state_list"), "es")
    assert html.index("Estados Unidos") < html.index("Francia")
    html = _get(client, reverse("reviews:state_list"), "en")
    assert html.index("France") < html.index("United States")


def test_recommendation_page_in_french(client, web_data):
    rec = next(r for r in web_data.recommendations if r.paragraph == "26.3")
    html = _get(client, rec.get_absolute_url(), "fr")
    assert "Droits des femmes" in html
    assert "Thèmes d&#x27;UPR Info" in html
    assert "États-Unis" in html


def test_calendar_notes_and_names_in_spanish(client, web_data):
    Deadline.objects.create(
        review=web_data.review_2025,
        kind=DeadlineKind.NATIONAL_REPORT,
        due=datetime(2025, 8, 28, tzinfo=UTC),
        all_day=True,
        cancelled=True,
        source_note=(
            "The United States filed no national report: on 28 August 2025 it said it would "
            "not take part in the review"
        ),
    )
    html = _get(client, reverse("calendar:state", args=["USA"]), "es")
    assert "Estados Unidos" in html
    assert "Los Estados Unidos no presentaron informe nacional" in html
    assert "Los Estados Unidos no participaron; el examen se reprogramó" in html


def test_focus_themes_are_translated_and_sorted(client, web_data):
    for name in ("Death penalty", "Rights of the Child"):
        ThemeFactory(vocabulary=web_data.women.vocabulary, name=name)
    html = _get(client, reverse("coalition:apply"), "fr")
    order = ["Droits de l&#x27;enfant", "Droits des femmes", "Peine de mort", "Torture and"]
    assert [html.index(name) for name in order] == sorted(html.index(name) for name in order)
    html = _get(client, reverse("coalition:apply"), "en")
    order = ["Death penalty", "Rights of the Child", "Torture and", "Women&#x27;s rights"]
    assert [html.index(name) for name in order] == sorted(html.index(name) for name in order)
