"""The report's use cases: creating, writing with version checks, history, citing,
comments, sign-off and final."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from uprhub.reports import services
from uprhub.reports.models import (
    Citation,
    Paragraph,
    ReportRole,
    ReportStatus,
    Revision,
    RevisionKind,
    RoleOnReport,
    SectionKind,
)

from .factories import person

pytestmark = pytest.mark.django_db


def by_paragraph(world, number: str):
    return next(r for r in world.data.recommendations if r.paragraph == number)


# --- creating ----------------------------------------------------------------------------------


def test_create_report_makes_lead_and_default_sections(world):
    report = world.report
    assert ReportRole.objects.get(report=report, user=world.lead).role == RoleOnReport.LEAD
    kinds = list(report.sections.order_by("pk").values_list("kind", flat=True))
    assert kinds == [
        SectionKind.INTRODUCTION,
        SectionKind.NEW_DEVELOPMENTS,
        SectionKind.RECOMMENDATIONS,
        SectionKind.FOLLOW_UP,
    ]
    assert [m.organisation for m in report.members.all()] == world.organisations
    assert report.contact_name == "Lena Lead"
    assert report.is_joint and report.is_draft


def test_default_title_names_the_state_and_session(world):
    report = services.create_report(
        actor=world.lead,
        review=world.data.review_2025,
        submission_type="individual",
        organisations=world.organisations[:1],
    )
    assert report.title == (
        "Submission to the Universal Periodic Review of United States of America, UPR 50"
    )


def test_individual_report_has_one_organisation(world):
    with pytest.raises(services.ReportError):
        services.create_report(
            actor=world.lead,
            review=world.data.review_2025,
            submission_type="individual",
            organisations=world.organisations,
        )


@pytest.mark.parametrize("role", ["registered", "coordinator", "admin", "member"])
def test_who_can_create(world, role):
    user = person(role)
    if role == "registered":
        with pytest.raises(PermissionDenied):
            services.create_report(
                actor=user,
                review=world.data.review_2025,
                submission_type="individual",
                organisations=world.organisations[:1],
            )
    else:
        services.create_report(
            actor=user,
            review=world.data.review_2025,
            submission_type="individual",
            organisations=world.organisations[:1],
        )


# --- writing, versions and conflicts -----------------------------------------------------------


def test_add_and_save_paragraph_keep_revisions(world):
    section = world.section(SectionKind.INTRODUCTION)
    paragraph = services.add_paragraph(section, "First draft.", ["Source A"], actor=world.lead)
    assert paragraph.version == 1
    saved = services.save_paragraph(
        paragraph,
        "Second draft.",
        ["Source A", "Source B"],
        expected_version=1,
        actor=world.people["drafter"],
    )
    assert saved.version == 2 and saved.text == "Second draft."
    assert saved.footnotes == ["Source A", "Source B"]
    revisions = list(paragraph.revisions.order_by("version"))
    assert [(r.version, r.kind, r.text) for r in revisions] == [
        (1, RevisionKind.CREATED, "First draft."),
        (2, RevisionKind.EDITED, "Second draft."),
    ]
    assert revisions[1].author == world.people["drafter"]


def test_saving_the_same_text_records_nothing(world):
    paragraph = services.add_paragraph(world.follow_up, "Same.", actor=world.lead)
    saved = services.save_paragraph(paragraph, "Same.", [], expected_version=1, actor=world.lead)
    assert saved.version == 1
    assert paragraph.revisions.count() == 1


def test_stale_version_raises_conflict_with_both_texts(world):
    paragraph = services.add_paragraph(world.follow_up, "Original.", actor=world.lead)
    drafter = world.people["drafter"]
    services.save_paragraph(paragraph, "Lead's text.", [], expected_version=1, actor=world.lead)
    with pytest.raises(services.EditConflict) as caught:
        services.save_paragraph(
            paragraph, "Drafter's text.", ["note"], expected_version=1, actor=drafter
        )
    conflict = caught.value
    assert conflict.theirs.text == "Lead's text." and conflict.theirs.version == 2
    assert conflict.theirs.author == "Lena Lead"
    assert conflict.yours.text == "Drafter's text." and conflict.yours.footnotes == ["note"]
    # Nothing was overwritten or recorded for the refused save.
    paragraph.refresh_from_db()
    assert paragraph.text == "Lead's text." and paragraph.version == 2
    assert paragraph.revisions.count() == 2
    # Having seen their text, the drafter saves over version 2 on purpose.
    services.save_paragraph(paragraph, "Merged text.", [], expected_version=2, actor=drafter)
    paragraph.refresh_from_db()
    assert paragraph.text == "Merged text." and paragraph.version == 3


def test_autosave_is_a_revision_of_its_own_kind(world):
    paragraph = services.add_paragraph(world.follow_up, "a", actor=world.lead)
    services.save_paragraph(
        paragraph, "ab", [], expected_version=1, actor=world.lead, autosave=True
    )
    assert paragraph.revisions.get(version=2).kind == RevisionKind.AUTOSAVED


def test_remove_and_restore(world):
    paragraph = services.add_paragraph(world.follow_up, "Keep me.", actor=world.lead)
    services.save_paragraph(paragraph, "Changed.", [], expected_version=1, actor=world.lead)
    services.remove_paragraph(paragraph, expected_version=2, actor=world.lead)
    assert not Paragraph.objects.current().filter(pk=paragraph.pk).exists()
    first = paragraph.revisions.get(version=1)
    restored = services.restore_revision(first, actor=world.people["drafter"])
    assert restored.removed_at is None and restored.text == "Keep me." and restored.version == 4
    latest = paragraph.revisions.order_by("-version").first()
    assert latest.kind == RevisionKind.RESTORED and latest.restored_from == first
    assert list(paragraph.revisions.order_by("version").values_list("kind", flat=True)) == [
        "created",
        "edited",
        "removed",
        "restored",
    ]


def test_restore_with_a_stale_version_conflicts(world):
    paragraph = services.add_paragraph(world.follow_up, "v1", actor=world.lead)
    services.save_paragraph(paragraph, "v2", [], expected_version=1, actor=world.lead)
    first = paragraph.revisions.get(version=1)
    services.save_paragraph(paragraph, "v3", [], expected_version=2, actor=world.lead)
    with pytest.raises(services.EditConflict):
        services.restore_revision(first, actor=world.lead, expected_version=2)


def test_move_paragraph(world):
    section = world.follow_up
    a = services.add_paragraph(section, "A", actor=world.lead)
    b = services.add_paragraph(section, "B", actor=world.lead)
    services.move_paragraph(b, -1, actor=world.lead)
    assert list(section.paragraphs.order_by("order").values_list("text", flat=True)) == ["B", "A"]
    services.move_paragraph(b, -1, actor=world.lead)  # already first: nothing happens
    services.move_paragraph(a, 1, actor=world.lead)  # already last
    assert list(section.paragraphs.order_by("order").values_list("text", flat=True)) == ["B", "A"]


@pytest.mark.parametrize("who", ["reviewer", "org_member", "outsider", "coordinator", "admin"])
def test_only_lead_and_drafters_write(world, who):
    paragraph = services.add_paragraph(world.follow_up, "Text", actor=world.lead)
    with pytest.raises(PermissionDenied):
        services.save_paragraph(
            paragraph, "Changed", [], expected_version=1, actor=world.people[who]
        )
    with pytest.raises(PermissionDenied):
        services.add_paragraph(world.follow_up, "More", actor=world.people[who])
    with pytest.raises(PermissionDenied):
        services.cite(world.follow_up, world.data.recommendations[:1], actor=world.people[who])


def test_cover_update_checks_the_version(world):
    report = world.report
    values = services.CoverValues(
        title="New title",
        submission_type="joint",
        contact_name="C",
        contact_email="c@example.org",
        key_words="torture",
        language="fr",
        organisations=world.organisations[::-1],
    )
    services.update_cover(report, values, expected_version=1, actor=world.lead)
    report.refresh_from_db()
    assert report.title == "New title" and report.version == 2 and report.language == "fr"
    assert [m.organisation for m in report.members.all()] == world.organisations[::-1]
    with pytest.raises(services.StaleReport):
        services.update_cover(report, values, expected_version=1, actor=world.lead)


def test_section_removal_keeps_text(world):
    section = services.add_section(
        world.report, kind=SectionKind.FOLLOW_UP, title="Housing", actor=world.lead
    )
    paragraph = services.add_paragraph(section, "Text", actor=world.lead)
    with pytest.raises(services.ReportError):
        services.remove_section(section, actor=world.lead)
    services.remove_paragraph(paragraph, expected_version=1, actor=world.lead)
    with pytest.raises(services.ReportError):  # its removed paragraph keeps history
        services.remove_section(section, actor=world.lead)
    empty = services.add_section(
        world.report, kind=SectionKind.OTHER, title="Annex", actor=world.lead
    )
    services.remove_section(empty, actor=world.lead)
    assert not world.report.sections.filter(pk=empty.pk).exists()


# --- citing ------------------------------------------------------------------------------------


def test_cite_is_idempotent_and_limited_to_the_state(world):
    recs = [by_paragraph(world, n) for n in ("26.1", "26.2", "26.3")]
    result = services.cite(world.follow_up, recs, actor=world.people["drafter"])
    assert len(result.added) == 3 and not result.already
    again = services.cite(world.follow_up, recs[:1], actor=world.lead)
    assert not again.added and again.already == recs[:1]
    assert Citation.objects.filter(section=world.follow_up).count() == 3


def test_citing_another_states_recommendation_is_refused(world):
    from tests.factories import RecommendationFactory, ReviewFactory, SessionFactory

    france_review = ReviewFactory(state=world.data.france, session=SessionFactory(number=36))
    other = RecommendationFactory(review=france_review, paragraph="120.1")
    with pytest.raises(services.ReportError, match="about United States"):
        services.cite(world.follow_up, [other], actor=world.lead)


# --- people ------------------------------------------------------------------------------------


def test_a_report_keeps_a_lead(world):
    with pytest.raises(services.ReportError):
        services.set_role(world.report, world.lead, RoleOnReport.DRAFTER, actor=world.lead)
    with pytest.raises(services.ReportError):
        services.remove_role(world.report, world.lead, actor=world.lead)
    services.set_role(world.report, world.people["drafter"], "lead", actor=world.lead)
    services.remove_role(world.report, world.lead, actor=world.people["drafter"])
    assert not ReportRole.objects.filter(report=world.report, user=world.lead).exists()


@pytest.mark.parametrize("who", ["drafter", "reviewer", "org_member", "outsider"])
def test_only_leads_and_staff_manage_people(world, who):
    with pytest.raises(PermissionDenied):
        services.set_role(
            world.report, world.people["registered"], "reviewer", actor=world.people[who]
        )


def test_coordinator_can_rescue_a_report(world):
    services.set_role(
        world.report, world.people["outsider"], "lead", actor=world.people["coordinator"]
    )
    role = ReportRole.objects.get(report=world.report, user=world.people["outsider"])
    assert role.role == RoleOnReport.LEAD


# --- comments ----------------------------------------------------------------------------------


def test_comments_are_resolvable(world):
    paragraph = services.add_paragraph(world.follow_up, "Text", actor=world.lead)
    comment = services.add_comment(paragraph, "Cite a source?", actor=world.people["reviewer"])
    services.resolve_comment(comment, actor=world.lead)
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == world.lead
    services.resolve_comment(comment, actor=world.lead, resolved=False)
    comment.refresh_from_db()
    assert not comment.is_resolved
    with pytest.raises(PermissionDenied):
        services.add_comment(paragraph, "Hi", actor=world.people["org_member"])
    with pytest.raises(services.ReportError):
        services.add_comment(paragraph, "   ", actor=world.lead)


# --- sign-off and final ------------------------------------------------------------------------


def write_a_clean_report(world):
    services.add_paragraph(
        world.section(SectionKind.INTRODUCTION),
        "This joint submission covers torture and the death penalty in the United States.",
        actor=world.lead,
    )


def sign_all(world):
    for organisation in world.organisations:
        member = person("registered")
        organisation.memberships.create(user=member)
        services.sign_off(world.report, organisation, actor=member)


def test_sign_off_needs_membership(world):
    first, last = world.organisations
    with pytest.raises(PermissionDenied):
        services.sign_off(world.report, first, actor=world.people["org_member"])
    services.sign_off(world.report, last, actor=world.people["org_member"])
    with pytest.raises(PermissionDenied):
        services.sign_off(world.report, last, actor=world.people["coordinator"])


def test_final_needs_every_sign_off(world):
    write_a_clean_report(world)
    with pytest.raises(services.NotReady) as caught:
        services.mark_final(world.report, actor=world.lead)
    assert len([r for r in caught.value.reasons if "has not signed off" in r]) == 2
    sign_all(world)
    report = services.mark_final(world.report, actor=world.lead)
    assert report.status == ReportStatus.FINAL and report.finalised_by == world.lead


def test_a_change_after_sign_off_needs_a_new_sign_off(world):
    write_a_clean_report(world)
    sign_all(world)
    services.add_paragraph(world.follow_up, "A late addition.", actor=world.lead)
    with pytest.raises(services.NotReady) as caught:
        services.mark_final(world.report, actor=world.lead)
    assert all("must sign again" in r for r in caught.value.reasons)


def test_final_refused_with_validator_errors(world):
    # No text at all: the validator's "has_text" rule is an error.
    sign_all(world)
    with pytest.raises(services.NotReady) as caught:
        services.mark_final(world.report, actor=world.lead)
    assert any("error" in r for r in caught.value.reasons)
    assert world.report.status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["drafter", "reviewer", "coordinator", "admin", "org_member"])
def test_only_the_lead_marks_final(world, who):
    with pytest.raises(PermissionDenied):
        services.mark_final(world.report, actor=world.people[who])


def test_final_report_is_locked_until_reopened(world):
    write_a_clean_report(world)
    sign_all(world)
    services.mark_final(world.report, actor=world.lead)
    paragraph = Paragraph.objects.filter(section__report=world.report).first()
    with pytest.raises(PermissionDenied):
        services.save_paragraph(paragraph, "Late", [], expected_version=1, actor=world.lead)
    world.report.refresh_from_db()
    with pytest.raises(services.ReportError):
        services.sign_off(world.report, world.organisations[0], actor=world.lead)
    services.reopen(world.report, actor=world.lead)
    services.save_paragraph(paragraph, "Late", [], expected_version=1, actor=world.lead)


def test_revision_numbers_are_unique(world):
    paragraph = services.add_paragraph(world.follow_up, "x", actor=world.lead)
    for version, text in enumerate(["y", "z", "w"], start=1):
        services.save_paragraph(paragraph, text, [], expected_version=version, actor=world.lead)
    versions = Revision.objects.filter(paragraph=paragraph).values_list("version", flat=True)
    assert sorted(versions) == [1, 2, 3, 4]
