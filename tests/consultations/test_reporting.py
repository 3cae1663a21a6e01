"""Into the report: sections and the brief report made from a consultation, and withdrawal or
a new redaction of a quoted testimony reaching every paragraph made from it, history included."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from uprhub.consultations import reporting, services, signals
from uprhub.consultations.models import ParagraphSource, Testimony
from uprhub.reports import services as report_services
from uprhub.reports.checking import check_report
from uprhub.reports.models import (
    Citation,
    Comment,
    Paragraph,
    Report,
    ReportStatus,
    Revision,
    RevisionKind,
    SectionKind,
)
from uprhub.reports.selectors import report_with_everything
from uprhub.reports.validator import count_words

from .reporting_world import HTML, NEVER, QUOTED, World, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db) -> World:
    return make_world()


def _texts(report: Report) -> str:
    paragraphs = Paragraph.objects.filter(section__report=report)
    return "\n".join(f"{p.text}\n{' '.join(p.footnotes)}" for p in paragraphs)


def _add_torture(world: World) -> reporting.Added:
    return reporting.add_theme_sections(
        world.consultation, world.report, [world.data.torture.pk], actor=world.lead
    )


def test_theme_counts_come_from_the_counted_testimony(world):
    counts = {t.theme.name: t.count for t in reporting.theme_counts(world.consultation)}
    # Five on torture (the risk-flagged, unconsented and unmoderated ones count too).
    assert counts == {"Torture and other CID": 5, "Women's rights": 1}
    assert reporting.participants(world.consultation) == 6


def test_section_has_counts_quotes_footnotes_citations_and_sources(world):
    added = _add_torture(world)
    [section] = added.sections
    assert section.kind == SectionKind.FOLLOW_UP  # linked to past recommendations
    assert section.title == "Torture and other CID"
    paragraphs = list(section.paragraphs.order_by("order"))
    assert paragraphs[0].text == ("5 of 6 participants in Pittsburgh raised torture and other CID.")
    footnote = (
        "Pittsburgh listens, community consultation in Pittsburgh, 1 March 2026 to "
        "30 April 2027, 6 participants."
    )
    assert all(p.footnotes == [footnote] for p in paragraphs)
    quotes = [p.text for p in paragraphs[1:]]
    assert len(quotes) == 2 and added.quotes == 2
    assert any("The police beat my brother" in q for q in quotes)
    assert any("<script>alert(1)</script>" in q for q in quotes)  # stored as text, as written
    text = _texts(world.report)
    for value in NEVER:
        assert value not in text, value
    assert "[e-mail removed]" in text and "[phone removed]" in text
    cited = set(
        Citation.objects.filter(section=section).values_list("recommendation__paragraph", flat=True)
    )
    assert cited == {"26.1", "26.2"}
    # Sources: the summary counts all five, each quote names its testimony and exact words.
    summary_sources = ParagraphSource.objects.filter(paragraph=paragraphs[0])
    assert summary_sources.count() == 5 and not any(s.quote for s in summary_sources)
    for paragraph in paragraphs[1:]:
        [source] = ParagraphSource.objects.filter(paragraph=paragraph)
        assert source.quote and source.quote in paragraph.text


def test_theme_without_recommendations_is_a_new_development(world):
    added = reporting.add_theme_sections(
        world.consultation, world.report, [world.data.women.pk], actor=world.lead
    )
    [section] = added.sections
    assert section.kind == SectionKind.NEW_DEVELOPMENTS
    assert section.paragraphs.first().text == (
        "1 of 6 participants in Pittsburgh raised women's rights."
    )


def test_risk_flagged_unconsented_and_unmoderated_never_quoted(world):
    reporting.add_theme_sections(
        world.consultation,
        world.report,
        [world.data.torture.pk, world.data.women.pk],
        actor=world.lead,
        max_quotes=50,
    )
    quoted = set(ParagraphSource.objects.exclude(quote="").values_list("testimony_id", flat=True))
    t = world.testimonies
    assert quoted == {t["quoted"].pk, t["html"].pk, t["women"].pk}


def test_only_writers_of_a_draft_of_the_same_review(world):
    people = world.people
    for name in ("member", "coordinator", "admin", "moderator"):
        with pytest.raises(PermissionDenied):
            reporting.add_theme_sections(
                world.consultation, world.report, [world.data.torture.pk], actor=people[name]
            )
    # A drafter without consultations.view_results (registered) is refused too.
    report_services.set_role(world.report, people["registered"], "drafter", actor=world.lead)
    with pytest.raises(PermissionDenied):
        reporting.add_theme_sections(
            world.consultation, world.report, [world.data.torture.pk], actor=people["registered"]
        )
    other = report_services.create_report(
        actor=world.lead,
        review=world.data.review_2020,
        submission_type="individual",
        organisations=[world.organisation],
    )
    with pytest.raises(reporting.ReportingError, match="another review"):
        reporting.add_theme_sections(
            world.consultation, other, [world.data.torture.pk], actor=world.lead
        )
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.FINAL)
    world.report.refresh_from_db()
    with pytest.raises(reporting.ReportingError, match="final"):
        _add_torture(world)
    assert not Paragraph.objects.filter(section__report__in=[world.report, other]).exists()


def test_unknown_theme_refused(world):
    with pytest.raises(reporting.ReportingError):
        reporting.add_theme_sections(world.consultation, world.report, [], actor=world.lead)
    with pytest.raises(reporting.ReportingError):
        reporting.add_theme_sections(
            world.consultation, world.report, [world.data.detention.pk], actor=world.lead
        )


def test_brief_report_passes_the_form_rules(world):
    report = reporting.create_brief_report(
        world.consultation, actor=world.lead, organisation=world.organisation
    )
    assert report.submission_type == "individual" and report.is_draft
    assert report.review_id == world.consultation.review_id
    assert "Pittsburgh" in report.title
    loaded = report_with_everything(report.pk)
    checked = check_report(loaded)
    errors = [f for f in checked.validation.errors if f.rule != "deadline"]
    assert errors == [], [f.message for f in errors]
    assert checked.validation.word_count <= 2815
    kinds = [s.kind for s in checked.document.sections]
    assert kinds[0] == SectionKind.INTRODUCTION and SectionKind.RECOMMENDATIONS in kinds
    intro = checked.document.sections[0].paragraphs[0].text
    assert "6 participants" in intro and "Pittsburgh listens" in intro
    assert "English, Spanish, French" in intro
    numbers = [p.number for p in checked.document.paragraphs()]
    assert numbers == list(range(1, len(numbers) + 1))
    text = _texts(report)
    assert "Implement recommendations 26.1 and 26.2" in text
    for value in NEVER:
        assert value not in text, value
    # Every paragraph made from testimony says which.
    made = Paragraph.objects.filter(section__report=report)
    assert all(ParagraphSource.objects.filter(paragraph=p).exists() for p in made)


def test_brief_report_stays_within_the_word_limit_with_many_quotes(world):
    long_text = " ".join(["Police violence against our young people keeps growing."] * 8)
    for _ in range(12):
        testimony, _code = services.submit_testimony(
            world.consultation,
            services.TestimonyInput(text=long_text, language="en", quote_anonymously=True),
        )
        Testimony.objects.filter(pk=testimony.pk).update(status="approved")
        from .reporting_world import tag

        tag(testimony, theme=world.data.torture)
        tag(testimony, theme=world.data.women)
    report = reporting.create_brief_report(
        world.consultation, actor=world.lead, organisation=world.organisation
    )
    checked = check_report(report_with_everything(report.pk))
    assert checked.validation.word_count <= 2815
    assert not [f for f in checked.validation.errors if f.rule != "deadline"]


def test_brief_report_permissions(world):
    for name in ("registered", "facilitator", "moderator"):
        with pytest.raises(PermissionDenied):
            reporting.create_brief_report(
                world.consultation, actor=world.people[name], organisation=world.organisation
            )
    with pytest.raises(PermissionDenied):
        reporting.create_brief_report(
            world.consultation, actor=None, organisation=world.organisation
        )


# --- withdrawal and redaction ------------------------------------------------------------------


def _quote_paragraph(world: World, key: str) -> Paragraph:
    source = ParagraphSource.objects.exclude(quote="").get(testimony=world.testimonies[key])
    return Paragraph.objects.get(pk=source.paragraph_id)


def test_withdrawal_removes_the_quote_everywhere_and_flags_the_authors(world):
    _add_torture(world)
    paragraph = _quote_paragraph(world, "quoted")
    words = "The police beat my brother at the Penn Avenue bus stop"
    # The drafter edited around the quote: the history now holds it twice.
    report_services.save_paragraph(
        paragraph,
        paragraph.text + " This happened in 2025.",
        paragraph.footnotes,
        expected_version=paragraph.version,
        actor=world.lead,
    )
    report_services.add_comment(paragraph, f"Keep “{words}”?", actor=world.lead)
    assert Revision.objects.filter(paragraph=paragraph, text__contains=words).count() == 2

    services.withdraw_testimony(world.consultation, world.codes["quoted"])

    assert not Paragraph.objects.filter(text__contains=words).exists()
    assert not Revision.objects.filter(text__contains=words).exists()
    assert not Comment.objects.filter(text__contains=words).exists()
    paragraph.refresh_from_db()
    assert paragraph.text == "A participant said: “[quote withdrawn]” This happened in 2025."
    assert paragraph.version == 3
    assert paragraph.revisions.first().kind == RevisionKind.CORRECTED
    flag = Comment.objects.get(paragraph=paragraph, system=True)
    assert flag.author is None and "withdrew" in flag.text and flag.resolved_at is None
    assert not ParagraphSource.objects.filter(testimony=world.testimonies["quoted"]).exists()
    # The summary line and its footnote count one participant fewer, and say so.
    summary = Paragraph.objects.get(text__contains="participants in Pittsburgh raised")
    assert summary.text == "4 of 5 participants in Pittsburgh raised torture and other CID."
    assert summary.footnotes[0].endswith("5 participants.")
    assert "lowered the figures" in Comment.objects.get(paragraph=summary, system=True).text
    # An editor still holding the old version cannot save the quote back silently.
    with pytest.raises(report_services.EditConflict):
        report_services.save_paragraph(
            paragraph, f"“{words}”", [], expected_version=2, actor=world.lead
        )


def test_withdrawal_reaches_a_final_report_too(world):
    _add_torture(world)
    Report.objects.filter(pk=world.report.pk).update(status=ReportStatus.FINAL)
    services.withdraw_testimony(world.consultation, world.codes["html"])
    assert not Paragraph.objects.filter(text__contains="Guards hit people").exists()
    assert not Revision.objects.filter(text__contains="Guards hit people").exists()


def test_withdrawal_of_an_edited_count_leaves_a_flag(world):
    _add_torture(world)
    summary = Paragraph.objects.get(text__contains="participants in Pittsburgh raised")
    report_services.save_paragraph(
        summary, "Most participants spoke of torture.", [], expected_version=1, actor=world.lead
    )
    services.withdraw_testimony(world.consultation, world.codes["unconsented"])
    summary.refresh_from_db()
    assert summary.text == "Most participants spoke of torture."
    assert "may now be one too high" in Comment.objects.get(paragraph=summary, system=True).text


def test_brief_report_intro_follows_a_withdrawal(world):
    report = reporting.create_brief_report(
        world.consultation, actor=world.lead, organisation=world.organisation
    )
    services.withdraw_testimony(world.consultation, world.codes["women"])
    intro = Paragraph.objects.get(section__report=report, section__kind="introduction")
    assert "what 5 participants told" in intro.text
    assert not Paragraph.objects.filter(text__contains="no housing help").exists()


def test_redaction_reaches_the_quote_and_its_history(world):
    _add_torture(world)
    paragraph = _quote_paragraph(world, "html")
    testimony = world.testimonies["html"]
    new_text = HTML.replace("the county jail", "[address removed]")
    Testimony.objects.filter(pk=testimony.pk).update(text=new_text)
    testimony.refresh_from_db()
    signals.testimony_redacted.send(sender=Testimony, testimony=testimony)
    paragraph.refresh_from_db()
    assert "[address removed]" in paragraph.text and "county jail" not in paragraph.text
    assert not Revision.objects.filter(text__contains="county jail").exists()
    source = ParagraphSource.objects.get(testimony=testimony, paragraph=paragraph)
    assert source.quote == reporting.quote_of(testimony) and source.quote in paragraph.text
    assert "removed more personal details" in Comment.objects.get(paragraph=paragraph).text


def test_redaction_to_unquotable_removes_the_quote(world):
    _add_torture(world)
    paragraph = _quote_paragraph(world, "quoted")
    testimony = world.testimonies["quoted"]
    Testimony.objects.filter(pk=testimony.pk).update(fears_reprisals=True)
    testimony.refresh_from_db()
    signals.testimony_redacted.send(sender=Testimony, testimony=testimony)
    paragraph.refresh_from_db()
    assert "The police beat" not in paragraph.text and "[quote withdrawn]" in paragraph.text
    assert not ParagraphSource.objects.filter(paragraph=paragraph).exists()
    assert QUOTED[:20] not in "".join(Revision.objects.values_list("text", flat=True))


def test_quotes_are_cut_and_written_in_the_reports_language(world):
    testimony = world.testimonies["quoted"]
    testimony.text = " ".join(["word"] * 100)
    assert count_words(reporting.quote_of(testimony)) == reporting.MAX_QUOTE_WORDS
    Report.objects.filter(pk=world.report.pk).update(language="fr")
    world.report.refresh_from_db()
    _add_torture(world)
    summary = Paragraph.objects.filter(section__report=world.report).order_by("pk").first()
    assert "Pittsburgh" in summary.text


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_while_a_section_is_made_waits_then_reaches_it():
    """The quoted testimonies are locked while the section is written: a withdrawal at that
    moment waits for it, then finds the new paragraphs and takes its quote out."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite runs one writer at a time anyway)")
    import threading

    from django.db import connections, transaction

    world = make_world()
    consultation, torture = world.consultation, world.data.torture
    done = threading.Event()

    def withdraw() -> None:
        try:
            services.withdraw_testimony(consultation, world.codes["quoted"])
        finally:
            done.set()
            connections.close_all()

    with transaction.atomic():
        planned = reporting._plan_theme(consultation, torture, 6, "Source.", 3)
        thread = threading.Thread(target=withdraw)
        thread.start()
        assert not done.wait(1.0)  # blocked by the lock
        reporting._write_theme(world.report, planned, world.lead)
    thread.join(10)
    assert done.is_set()
    assert not Paragraph.objects.filter(text__contains="Penn Avenue").exists()
    assert not Revision.objects.filter(text__contains="Penn Avenue").exists()


def test_a_person_changing_their_testimony_takes_the_old_quote_out(world):
    _add_torture(world)
    paragraph = _quote_paragraph(world, "quoted")
    services.change_testimony(
        world.consultation,
        world.codes["quoted"],
        services.TestimonyInput(text="I would rather say less now.", language="en"),
    )
    paragraph.refresh_from_db()
    assert "[quote withdrawn]" in paragraph.text and "Penn Avenue" not in paragraph.text
    assert not Revision.objects.filter(text__contains="Penn Avenue").exists()
    assert "may no longer be quoted" in Comment.objects.get(paragraph=paragraph).text


def test_fragments_of_a_withdrawn_quote_are_taken_out_wherever_they_are():
    quote = "The police beat my brother at the Penn Avenue bus stop and nobody was charged."
    fix = reporting._withdrawing(quote, "[quote withdrawn]")
    assert fix(f"They said: “{quote}”") == "They said: “[quote withdrawn]”"
    # Six or more words of it in a row, however punctuated or cased, go too…
    edited = "As one said, the Police beat my brother at the Penn Avenue stop, and more."
    assert fix(edited) == "As one said, [quote withdrawn] stop, and more."
    # …but a few common words in a row are no quote.
    assert fix("The police beat people.") == "The police beat people."
    long = " ".join(["Some other words here."] * 2000) + " my brother at the Penn Avenue bus"
    assert fix(long).endswith("words here. [quote withdrawn]")


def test_a_moderator_rejecting_an_approved_testimony_takes_its_quote_out(world):
    from uprhub.consultations import moderation

    _add_torture(world)
    paragraph = _quote_paragraph(world, "quoted")
    moderation.set_status(world.testimonies["quoted"], "rejected", actor=world.people["moderator"])
    paragraph.refresh_from_db()
    assert "The police beat" not in paragraph.text and "[quote withdrawn]" in paragraph.text
    assert not ParagraphSource.objects.filter(paragraph=paragraph).exists()
