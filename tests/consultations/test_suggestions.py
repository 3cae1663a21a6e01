"""Suggested issues and recommendations for testimony: the pipeline, the glossary, the moderators'
decisions, the tags views and the synthesis page, per role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from tests.accounts.factories import make_user
from tests.consultations.conftest import make_input
from tests.factories import RecommendationFactory, ReviewFactory, StateFactory, ThemeFactory
from uprhub.classifier.model import is_available
from uprhub.consultations import evaluation, services, suggesting
from uprhub.consultations.models import ConsultationRoleKind, TagKind, TestimonyStatus, TestimonyTag
from uprhub.recommendations.models import SuggestionStatus
from uprhub.reviews.models import Review

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SAMPLE = json.loads((DATA / "suggestions_sample.json").read_text(encoding="utf-8"))
FIXTURE = json.loads((DATA / "suggestions_fixture.json").read_text(encoding="utf-8"))
ISSUES = sorted({item["theme"] for item in SAMPLE["items"]} | {"Justice", "Impunity"})

needs_model = pytest.mark.skipif(not is_available(), reason="the classifier artifact is missing")


@pytest.fixture
def us_recommendations(consultation):
    """The consultation's review (USA, cycle 3) with real US recommendations, and the issues."""
    review = consultation.review
    Review.objects.filter(pk=review.pk).update(wg_report_symbol="A/HRC/46/15")
    names = set(ISSUES) | (set(suggesting._model().issue_labels) if is_available() else set())
    for name in sorted(names):
        ThemeFactory(name=name)
    made = []
    for row in FIXTURE["recommendations"]:
        made.append(
            RecommendationFactory(
                review=review,
                paragraph=row["paragraph"],
                text=row["text"],
                position=row["position"],
                recommenders=[
                    StateFactory(code=f"R{i}", short_name=n)
                    for i, n in enumerate(row["recommenders"])
                ],
            )
        )
    return made


def _testimony(consultation, text, language="en", **kw):
    testimony, _code = services.submit_testimony(
        consultation, make_input(text, language=language, **kw), services.IdentityInput()
    )
    return testimony


# --- the glossary ------------------------------------------------------------------------------


def test_glossary_is_well_formed():
    data = json.loads(suggesting.DATA_FILE.read_text(encoding="utf-8"))
    for concept in data["concepts"]:
        assert concept["keywords"].strip()
        for language in suggesting.LANGUAGES:
            assert concept[language], (concept["keywords"], language)
    assert suggesting.glossary().longest >= 3


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("La policía golpeó a mi hijo", "es", "police"),
        ("Las CÁRCELES están llenas", "es", "prison"),
        ("Nos cortaron el agua", "es", "water"),
        ("Les violences policières dans notre quartier", "fr", "police"),
        ("L'eau du robinet est contaminée", "fr", "water"),
        ("Nos terres ancestrales et nos sites sacrés", "fr", "indigenous"),
        ("Le couloir de la mort", "fr", "death penalty"),
        ("the cops stopped me", "en", "police"),
    ],
)
def test_foreign_words_become_english_keywords(text, language, word):
    assert word in suggesting.english_keywords(text, language)


def test_text_without_known_words_has_no_keywords():
    assert suggesting.english_keywords("Hola, buenos días", "es") == ""


# --- the model ---------------------------------------------------------------------------------


@needs_model
@pytest.mark.parametrize(
    ("text", "language", "theme"),
    [
        (
            "La policía golpeó a mi hijo en la calle y lo dejó esposado.",
            "es",
            "Human rights violations by state agents",
        ),
        ("Nos desalojaron y ahora dormimos en el carro con los niños.", "es", "Right to housing"),
        ("Mi hermano está en el corredor de la muerte en Texas.", "es", "Death penalty"),
        ("La migra se llevó a mi papá a un centro de detención.", "es", "Migrants"),
        ("Notre peuple autochtone a perdu ses terres ancestrales.", "fr", "Indigenous peoples"),
        ("L'eau du robinet est contaminée par le plomb.", "fr", "Right to water"),
        ("J'ai été radié des listes électorales sans être prévenu.", "fr", "Elections"),
        ("Mon conjoint me battait et la police n'a rien fait.", "fr", "Women's rights"),
    ],
)
def test_spanish_and_french_testimony_gets_a_right_theme(text, language, theme):
    ranked = suggesting.rank_issues([text], [language])[0]
    assert theme in [name for name, _score in ranked[:3]]
    assert not {name for name, _score in ranked} & suggesting.MACHINERY_ISSUES


@needs_model
def test_evaluation_pipeline_on_a_small_part_of_the_sample(us_recommendations, consultation):
    topics = {"police", "housing", "death_penalty", "indigenous", "voting"}
    items = [i for i in SAMPLE["items"] if i["topic"] in topics]
    result = evaluation.evaluate(items, consultation.review)
    assert set(result["languages"]) == {"en", "es", "fr"}
    assert result["all"]["items"] == len(items)
    # The pipeline works end to end: most of these easy topics find their issue and a link.
    assert result["all"]["theme_in_top3"] >= 0.6
    assert result["all"]["recommendation_in_top5"] >= 0.5
    assert evaluation.resolve(items[0]["recommendations"])


def test_sample_size_and_labels():
    by_language = {}
    for item in SAMPLE["items"]:
        by_language[item["language"]] = by_language.get(item["language"], 0) + 1
        assert item["recommendations"], item["id"]
    assert by_language["en"] >= 60 and by_language["es"] >= 40 and by_language["fr"] >= 40


# --- storing and deciding ----------------------------------------------------------------------


@needs_model
def test_suggest_stores_pending_tags_and_never_resuggests_a_rejected_one(
    us_recommendations, consultation, moderator
):
    testimony = _testimony(
        consultation, "La policía golpeó a mi hermano y nadie fue castigado.", "es"
    )
    made = services.suggest_tags(testimony, actor=moderator)
    tags = list(TestimonyTag.objects.filter(testimony=testimony))
    assert made == len(tags) > 0
    themes = [t for t in tags if t.kind == TagKind.THEME]
    recs = [t for t in tags if t.kind == TagKind.RECOMMENDATION]
    assert len(themes) == suggesting.THEMES_KEPT and 0 < len(recs) <= 5
    assert all(t.status == SuggestionStatus.PENDING and t.model_version for t in tags)
    assert all(t.recommendation.review.state_id == consultation.review.state_id for t in recs)
    rejected = services.reject_tag(themes[0], actor=moderator)
    assert rejected.status == SuggestionStatus.REJECTED
    services.reject_tag(recs[0], actor=moderator)
    # Everything else forgotten: a new round must not bring the rejected ones back as pending.
    TestimonyTag.objects.filter(testimony=testimony, status=SuggestionStatus.PENDING).delete()
    suggesting.suggest([testimony])
    again = TestimonyTag.objects.filter(testimony=testimony)
    assert again.get(theme=themes[0].theme).status == SuggestionStatus.REJECTED
    assert again.get(recommendation=recs[0].recommendation).status == SuggestionStatus.REJECTED
    # Only once per testimony when a moderator opens it.
    assert services.suggest_tags(testimony, actor=moderator) == 0


@needs_model
def test_accept_and_add(us_recommendations, consultation, moderator):
    testimony = _testimony(consultation, "They cut the water to our street for a month.")
    services.suggest_tags(testimony, actor=moderator)
    tag = TestimonyTag.objects.filter(testimony=testimony, kind=TagKind.THEME).first()
    assert services.accept_tag(tag, actor=moderator).status == SuggestionStatus.ACCEPTED
    with pytest.raises(services.TagError):
        services.accept_tag(tag, actor=moderator)
    labour = ThemeFactory(name="Labour")
    added = services.add_tag(testimony, actor=moderator, theme=labour)
    assert added.status == SuggestionStatus.ACCEPTED and added.score is None
    other_state = RecommendationFactory(review=ReviewFactory(state=StateFactory(code="FRA")))
    with pytest.raises(services.TagError):
        services.add_tag(testimony, actor=moderator, recommendation=other_state)


def test_tag_services_refuse_non_moderators(consultation):
    testimony = _testimony(consultation, "The police beat us.")
    theme = ThemeFactory(name="Justice")
    for role in ("registered", "member", "coordinator", "admin"):
        with pytest.raises(PermissionDenied):
            services.add_tag(testimony, actor=make_user(role), theme=theme)
    facilitator = make_user("member")
    services.assign_role(consultation, facilitator, ConsultationRoleKind.FACILITATOR, actor=None)
    with pytest.raises(PermissionDenied):
        services.add_tag(testimony, actor=facilitator, theme=theme)


@needs_model
def test_suggest_command(us_recommendations, consultation):
    _testimony(consultation, "Los presos duermen en el suelo de la cárcel.", "es")
    _testimony(consultation, "My brother is on death row in Texas.")
    from io import StringIO

    out = StringIO()
    call_command("consultations", "suggest", consultation.slug, stdout=out)
    text = out.getvalue()
    assert "2 of 2 testimonies" in text and "for 2 testimonies" in text
    assert TestimonyTag.objects.count() > 0


# --- views: roles ------------------------------------------------------------------------------


def _people(consultation):
    other = services.create_consultation(
        actor=None, slug="other", review=consultation.review, title="Other"
    )
    people = {
        "anonymous": None,
        "registered": make_user("registered"),
        "member": make_user("member"),
        "facilitator": make_user("registered"),
        "moderator": make_user("registered"),
        "other_moderator": make_user("member"),
        "coordinator": make_user("coordinator"),
        "admin": make_user("admin"),
    }
    services.assign_role(
        consultation, people["facilitator"], ConsultationRoleKind.FACILITATOR, actor=None
    )
    services.assign_role(
        consultation, people["moderator"], ConsultationRoleKind.MODERATOR, actor=None
    )
    services.assign_role(
        other, people["other_moderator"], ConsultationRoleKind.MODERATOR, actor=None
    )
    return people


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


SYNTHESIS_ALLOWED = {
    "member",
    "facilitator",
    "moderator",
    "other_moderator",
    "coordinator",
    "admin",
}


def test_synthesis_permissions(client, consultation):
    url = reverse("consultations:synthesis", args=[consultation.slug])
    for role, user in _people(consultation).items():
        response = _as(client, user).get(url)
        if user is None:
            assert response.status_code == 302, role
        else:
            assert response.status_code == (200 if role in SYNTHESIS_ALLOWED else 403), role


def test_tag_views_permissions(client, consultation):
    testimony = _testimony(consultation, "The police beat us.")
    theme = ThemeFactory(name="Justice")
    people = _people(consultation)
    url = reverse("consultations:tag_add", args=[consultation.slug, testimony.pk])
    for role, user in people.items():
        response = _as(client, user).post(url, {"theme": theme.pk})
        if user is None:
            assert response.status_code == 302 and "login" in response["Location"], role
        elif role == "moderator":
            assert response.status_code == 302, role
        else:
            assert response.status_code == 403, role
    tag = TestimonyTag.objects.get(testimony=testimony)
    assert tag.status == SuggestionStatus.ACCEPTED and tag.decided_by == people["moderator"]


def test_tag_views_decide_and_go_back_safely(client, consultation, moderator):
    testimony = _testimony(consultation, "The police beat us.")
    theme = ThemeFactory(name="Justice")
    tag = TestimonyTag.objects.create(
        testimony=testimony, kind=TagKind.THEME, theme=theme, score=0.5
    )
    client.force_login(moderator)
    args = [consultation.slug, testimony.pk, tag.pk]
    response = client.post(
        reverse("consultations:tag_reject", args=args), {"next": "https://evil.example/x"}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]
    tag.refresh_from_db()
    assert tag.status == SuggestionStatus.REJECTED
    response = client.post(reverse("consultations:tag_accept", args=args), {"next": "/listen/"})
    assert response["Location"] == "/listen/"
    tag.refresh_from_db()
    assert tag.status == SuggestionStatus.REJECTED  # decided once
    assert client.get(reverse("consultations:tag_accept", args=args)).status_code == 405


def test_testimony_tags_tag_renders_forms_for_moderators(rf, consultation, moderator):
    from django.template import Context, Template

    testimony = _testimony(consultation, "The police beat us.")
    theme = ThemeFactory(name="Justice")
    rec = RecommendationFactory(
        review=consultation.review,
        paragraph="26.178",
        text="Take adequate measures to put an end to police violence against African descent",
        recommenders=[StateFactory(code="GHA", short_name="Ghana")],
    )
    TestimonyTag.objects.create(testimony=testimony, kind=TagKind.THEME, theme=theme, score=0.7)
    TestimonyTag.objects.create(
        testimony=testimony, kind=TagKind.RECOMMENDATION, recommendation=rec, score=0.9
    )
    ThemeFactory(name="Labour")
    request = rf.get("/moderate/")
    request.user = moderator
    html = Template("{% load consultation_tags %}{% testimony_tags testimony %}").render(
        Context({"request": request, "testimony": testimony, "csrf_token": "t"})
    )
    assert "Justice" in html and "26.178" in html and "Ghana" in html and "Supported" in html
    assert "Take adequate measures to put an end" in html
    assert rec.get_absolute_url() in html
    assert html.count('name="next" value="/moderate/"') >= 4
    assert 'name="theme"' in html  # the "add theme" select
    request.user = make_user("member")
    html = Template("{% load consultation_tags %}{% testimony_tags testimony %}").render(
        Context({"request": request, "testimony": testimony})
    )
    assert "Justice" in html and "<form" not in html


# --- the synthesis page ------------------------------------------------------------------------


def _approve(testimony):
    testimony.status = TestimonyStatus.APPROVED
    testimony.save(update_fields=["status"])


def test_synthesis_counts_and_quotes_only_quotable(client, consultation, moderator):
    police = ThemeFactory(name="Human rights violations by state agents")
    quoted = _testimony(
        consultation, "Officers broke my nephew's arm in front of us.", quote_anonymously=True
    )
    risky = _testimony(
        consultation,
        "Secret words of a frightened person.",
        quote_anonymously=True,
        fears_reprisals=True,
    )
    unconsented = _testimony(consultation, "Words given without consent to quote.")
    named, _code = services.submit_testimony(
        consultation,
        make_input("I am Maria Quintanilla and the sheriff beat me.", quote_named=True),
        services.IdentityInput(name="Maria Quintanilla", email="mq@example.org"),
    )
    rejected = _testimony(consultation, "Spam that was rejected.", quote_anonymously=True)
    for t in (quoted, risky, unconsented, named):
        _approve(t)
        services.add_tag(t, actor=moderator, theme=police)
    rejected.status = TestimonyStatus.REJECTED
    rejected.save(update_fields=["status"])
    rec = RecommendationFactory(
        review=consultation.review,
        paragraph="26.253",
        text="Take adequate measures to put an end to police violence",
        position="noted",
        recommenders=[StateFactory(code="ZAF", short_name="South Africa")],
    )
    services.add_tag(quoted, actor=moderator, recommendation=rec)
    client.force_login(make_user("member"))
    page = client.get(reverse("consultations:synthesis", args=[consultation.slug])).content.decode()
    assert "Officers broke my nephew" in page
    assert "Secret words" not in page and "without consent" not in page and "Spam" not in page
    assert "4 testimonies counted" in page
    assert "the sheriff beat me" in page  # quoted, redacted
    assert "Quintanilla" not in page and "mq@example.org" not in page
    assert "Fears reprisals" in page
    assert "26.253" in page and "South Africa" in page and "Noted" in page
    assert '<svg class="bar-chart" aria-hidden="true"' in page and "<table>" in page
    assert reverse("consultations:report_section", args=[consultation.slug]) in page
    assert reverse("consultations:brief_report", args=[consultation.slug]) in page


def test_synthesis_empty_state(client, consultation, moderator):
    client.force_login(moderator)
    page = client.get(reverse("consultations:synthesis", args=[consultation.slug])).content.decode()
    assert "0 testimonies counted" in page and "Nothing to count yet." in page
    assert "No quote yet" in page and "No recommendation linked yet" in page


def _semantic_missing() -> bool:
    from uprhub.search import semantic

    return bool(semantic.missing_requirements())


@needs_model
@pytest.mark.skipif(_semantic_missing(), reason="the semantic extra is not installed")
def test_semantic_links_when_the_site_chose_semantic_similarity(
    us_recommendations, consultation, moderator, settings, tmp_path
):
    """With UPRHUB_SIMILARITY=semantic, links are ranked by the real MiniLM embeddings; a page
    never waits for the State's recommendations to be embedded (the command line does it)."""
    from uprhub.search import semantic

    settings.UPRHUB_SIMILARITY = "semantic"
    settings.DATA_DIR = str(tmp_path)  # no similarity store
    semantic.clear_caches()
    suggesting._computed.clear()
    assert suggesting.link_method() == suggesting.SEMANTIC
    text = "La migra se llevó a mi papá a un centro de detención y lo deportaron."
    right = evaluation.resolve(SAMPLE["topics"]["immigration"]["recommendations"])

    def links(testimony):
        return TestimonyTag.objects.filter(testimony=testimony, kind=TagKind.RECOMMENDATION)

    opened = _testimony(consultation, text, "es")
    services.suggest_tags(opened, actor=moderator)  # a moderator opens it: nothing embedded yet
    assert links(opened) and all(t.model_version.endswith("+lexical") for t in links(opened))

    by_command = _testimony(consultation, text, "es")
    suggesting.suggest([by_command])  # `uprhub consultations suggest`: embeds what it needs
    assert all(t.model_version.endswith("+semantic") for t in links(by_command))
    assert right & {t.recommendation_id for t in links(by_command)}

    later = _testimony(consultation, text, "es")
    services.suggest_tags(later, actor=moderator)  # now at hand: semantic on the page too
    assert all(t.model_version.endswith("+semantic") for t in links(later))
    semantic.clear_caches()


@pytest.mark.parametrize("action", ["tag_accept", "tag_reject"])
def test_decide_views_permissions(client, consultation, action):
    testimony = _testimony(consultation, "The police beat us.")
    people = _people(consultation)
    for role, user in people.items():
        theme = ThemeFactory(name=f"Issue for {role}")
        tag = TestimonyTag.objects.create(
            testimony=testimony, kind=TagKind.THEME, theme=theme, score=0.4
        )
        url = reverse(f"consultations:{action}", args=[consultation.slug, testimony.pk, tag.pk])
        response = _as(client, user).post(url)
        tag.refresh_from_db()
        if role == "moderator":
            assert response.status_code == 302, role
            assert tag.status != SuggestionStatus.PENDING and tag.decided_by == user
        elif user is None:
            assert response.status_code == 302 and "login" in response["Location"]
            assert tag.status == SuggestionStatus.PENDING
        else:
            assert response.status_code == 403, role
            assert tag.status == SuggestionStatus.PENDING, role


def test_tags_of_another_consultations_testimony_are_404(client, consultation, moderator):
    other = services.create_consultation(
        actor=None, slug="elsewhere", review=consultation.review, title="Elsewhere"
    )
    foreign = _testimony(other, "Someone else's words.")
    tag = TestimonyTag.objects.create(
        testimony=foreign, kind=TagKind.THEME, theme=ThemeFactory(name="Justice"), score=0.4
    )
    client.force_login(moderator)
    url = reverse("consultations:tag_accept", args=[consultation.slug, foreign.pk, tag.pk])
    assert client.post(url).status_code == 404
    tag.refresh_from_db()
    assert tag.status == SuggestionStatus.PENDING
