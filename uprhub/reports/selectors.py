"""Reads of shadow reports, each in a fixed number of queries whatever the report's size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from uprhub.accounts.models import (
    Membership,
    Organisation,
    OrganisationAction,
    OrganisationEvent,
)
from uprhub.calendar.models import DeadlineKind
from uprhub.calendar.selectors import entries_for_reviews, review_not_held, with_not_held
from uprhub.core.roles import is_member
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review, Session

from .models import (
    Citation,
    Comment,
    Paragraph,
    Report,
    ReportOrganisation,
    ReportRole,
    ReportSection,
    Revision,
)


def person_name(user: Any) -> str:
    """How a person is shown: their profile name, else their e-mail address."""
    if user is None:
        return ""
    profile = getattr(user, "profile", None)
    return (getattr(profile, "full_name", "") or user.get_username()) if user else ""


def citations_queryset() -> QuerySet[Citation]:
    return Citation.objects.select_related(
        "recommendation__review__state", "recommendation__review__session", "added_by"
    ).prefetch_related("recommendation__recommending_states")


def report_with_everything(pk: int, *, comments: bool = True) -> Report | None:
    """A report with its organisations, people, sections, paragraphs, citations (and comments).

    Eight queries (seven without comments), however long the report.
    """
    paragraphs = Paragraph.objects.current().select_related("updated_by__profile")
    if comments:
        paragraphs = paragraphs.prefetch_related(
            Prefetch(
                "comments",
                Comment.objects.select_related("author__profile", "resolved_by__profile"),
            )
        )
    return (
        Report.objects.select_related("review__state", "review__session", "created_by")
        .prefetch_related(
            Prefetch(
                "members",
                ReportOrganisation.objects.select_related("organisation", "signed_off_by__profile"),
            ),
            Prefetch("roles", ReportRole.objects.select_related("user__profile")),
            Prefetch(
                "sections",
                ReportSection.objects.prefetch_related(
                    Prefetch("paragraphs", paragraphs),
                    Prefetch("citations", citations_queryset()),
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def report_summary(pk: int) -> Report | None:
    """A report with only what permission checks and small pages need (one query)."""
    return Report.objects.select_related("review__state", "review__session").filter(pk=pk).first()


def ordered_sections(report: Report) -> list[ReportSection]:
    """Sections in document order (kind first, then their own order) from the prefetch."""
    return sorted(report.sections.all(), key=lambda s: s.sort_key)


def stakeholder_deadline(review: Review) -> datetime | None:
    """OHCHR's stakeholder submission deadline of the review, stored or estimated (one query)."""
    for entry in entries_for_reviews([review]):
        if entry.kind == DeadlineKind.STAKEHOLDER_SUBMISSION and not entry.cancelled:
            return entry.due
    return None


def previous_review(review: Review) -> Review | None:
    """The State's last review before this one that actually took place (the period a report
    covers starts there): a review the State did not attend is skipped (USA, UPR 50)."""
    return (
        Review.objects.filter(state_id=review.state_id, session__number__lt=review.session_id)
        .exclude(review_not_held())
        .select_related("session")
        .order_by("-session__number")
        .first()
    )


@dataclass
class ReportRow:
    report: Report
    role: str
    paragraphs: int


def reports_for(user: Any) -> list[ReportRow]:
    """The reports a person can see, newest first, with their role and size (one query)."""
    reports = (
        Report.objects.visible_to(user)
        .select_related("review__state", "review__session")
        .annotate(
            n_paragraphs=Count(
                "sections__paragraphs", filter=Q(sections__paragraphs__removed_at__isnull=True)
            )
        )
        .order_by("-updated_at", "-pk")
    )
    roles = dict(
        ReportRole.objects.filter(user=user).values_list("report_id", "role")
        if getattr(user, "is_authenticated", False)
        else []
    )
    return [ReportRow(r, roles.get(r.pk, ""), r.n_paragraphs) for r in reports]


@dataclass
class CiteTarget:
    """A report a person may cite into, with its sections (for the "Add to report" control)."""

    report: Report
    sections: list[ReportSection]


def cite_targets(user: Any) -> list[CiteTarget]:
    """Draft reports the user writes in, with their sections: two queries, none if anonymous."""
    if not getattr(user, "is_authenticated", False):
        return []
    reports = (
        Report.objects.editable_by(user)
        .select_related("review__state")
        .prefetch_related("sections")
        .order_by("-updated_at", "-pk")
    )
    return [CiteTarget(r, ordered_sections(r)) for r in reports]


def cited_in_targets(targets: list[CiteTarget]) -> dict[int, list[str]]:
    """Recommendation id → "report › section" where it is already cited (one query)."""
    sections = {s.pk: (t.report, s) for t in targets for s in t.sections}
    if not sections:
        return {}
    cited: dict[int, list[str]] = {}
    for recommendation_id, section_id in Citation.objects.filter(
        section_id__in=list(sections)
    ).values_list("recommendation_id", "section_id"):
        report, section = sections[section_id]
        cited.setdefault(recommendation_id, []).append(f"{report.title} › {section.title}")
    return cited


def paragraph_history(paragraph: Paragraph) -> list[Revision]:
    return list(paragraph.revisions.select_related("author__profile").order_by("-version", "-pk"))


def removed_paragraphs(report: Report) -> list[Paragraph]:
    return list(
        Paragraph.objects.filter(section__report=report, removed_at__isnull=False)
        .select_related("section", "updated_by__profile")
        .order_by("-removed_at")
    )


def paragraph_in_report(
    report: Report, pk: int, *, include_removed: bool = False
) -> Paragraph | None:
    queryset = Paragraph.objects.select_related("section", "updated_by__profile")
    if not include_removed:
        queryset = queryset.filter(removed_at__isnull=True)
    return queryset.filter(pk=pk, section__report=report).first()


def section_in_report(report: Report, pk: int) -> ReportSection | None:
    return ReportSection.objects.filter(pk=pk, report=report).first()


def section_with_report(pk: int) -> ReportSection | None:
    """Any report's section, with its report (whose access the caller checks)."""
    return ReportSection.objects.select_related("report").filter(pk=pk).first()


def citation_in_report_or_404(report: Report, pk: int) -> Citation:
    """A citation in one of the report's sections, with its section; Http404 otherwise."""
    return get_object_or_404(
        Citation.objects.select_related("section"), pk=pk, section__report=report
    )


def revision_in_report_or_404(report: Report, pk: int) -> Revision:
    """A paragraph's revision in the report, with paragraph and section; Http404 otherwise."""
    return get_object_or_404(
        Revision.objects.select_related("paragraph__section"),
        pk=pk,
        paragraph__section__report=report,
    )


def comment_in_report_or_404(report: Report, pk: int) -> Comment:
    """A comment on one of the report's paragraphs, with its paragraph; Http404 otherwise."""
    return get_object_or_404(
        Comment.objects.select_related("paragraph"),
        pk=pk,
        paragraph__section__report=report,
    )


def member_in_report_or_404(report: Report, pk: int) -> ReportOrganisation:
    """One of the report's organisations (by its ReportOrganisation pk); Http404 otherwise."""
    return get_object_or_404(ReportOrganisation, pk=pk, report=report)


def signing_member_or_404(report: Report, organisation_pk: int) -> ReportOrganisation:
    """The report's membership of organisation `organisation_pk`, with the organisation, for
    signing off; Http404 if that organisation is not on the report."""
    return get_object_or_404(
        ReportOrganisation.objects.select_related("organisation"),
        report=report,
        organisation_id=organisation_pk,
    )


def own_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations a person belongs to (claims still waiting included), by name: the
    first choices when they start a report."""
    return Organisation.objects.filter(memberships__user=user).distinct().order_by("name")


def organisations_to_submit_for(user: Any) -> QuerySet[Organisation]:
    """The organisations a person may name on a new report ("reports.submit_for"): their own
    (claims still waiting included) first, then confirmed ones as partners of a joint
    submission (their own members sign it off). Others' unconfirmed claims stay private."""
    mine = Membership.objects.filter(user=user, organisation=OuterRef("pk"))
    return (
        Organisation.objects.filter(Q(Exists(mine)) | Q(verified_at__isnull=False))
        .annotate(mine=Exists(mine))
        .order_by("-mine", "name")
    )


@dataclass(frozen=True)
class OrganisationFromApplication:
    """What an approved taskforce applicant said about their organisation, to start filling in
    its registration; `taken` when that name is another organisation's (which the applicant is
    never added to by name)."""

    name: str
    city: str
    country: str
    taken: bool


def organisation_from_application(user: Any) -> OrganisationFromApplication | None:
    """For a member in no organisation whose profile names one (approving a taskforce
    application copies the organisation, city and country into the profile), and who had no
    claim turned down; else None. Read from the profile, not the application: the reports and
    the taskforce are features on one floor and do not import each other."""
    if not is_member(user) or Membership.objects.filter(user=user).exists():
        return None
    # A coordinator turned down a claim of theirs: do not offer the same name again.
    if OrganisationEvent.objects.filter(
        user=user, action=OrganisationAction.CLAIM_REJECTED
    ).exists():
        return None
    profile = getattr(user, "profile", None)
    name = profile.organisation_name.strip() if profile is not None else ""
    if profile is None or not name:
        return None
    country = profile.country or ("United States" if profile.us_state else "")
    taken = Organisation.objects.named_like(name).exists()
    return OrganisationFromApplication(name, profile.city, country, taken)


def default_organisation_ids(user: Any) -> list[int]:
    """The organisation a new report's form starts with: one the person belongs to, if any."""
    member_of = Organisation.objects.filter(memberships__user=user)
    return list(member_of.values_list("pk", flat=True)[:1])


def live_target(
    report: Report, *, paragraph_pk: int | None, section_pk: int | None
) -> ReportSection | None:
    """The section the editor's unsaved text belongs to: the one holding ``paragraph_pk`` (an
    edited paragraph), else section ``section_pk`` (a new one); ``None`` if neither is in this
    report. Reads the sections ``report_with_everything`` prefetched: no query."""
    sections = {s.pk: s for s in report.sections.all()}
    if paragraph_pk is not None:
        return next(
            (s for s in sections.values() for p in s.paragraphs.all() if p.pk == paragraph_pk),
            None,
        )
    return sections.get(section_pk) if section_pk is not None else None


def recommendations_for_citing(ids: list[int]) -> list[Recommendation]:
    return list(Recommendation.objects.with_details().filter(pk__in=ids))


def reviews_for_new_report() -> QuerySet[Review]:
    """Reviews a report can be written for, latest sessions first; each says whether it
    did not take place (``not_held``), so the choice can say so."""
    return with_not_held(Review.objects.select_related("state", "session")).order_by(
        "-session__number", "state__short_name"
    )


def guide_cycle(today: date) -> int | None:
    """The cycle whose rules the public guide shows: that of the next Working Group session,
    else of the latest session known (one query)."""
    upcoming = Session.objects.filter(start_date__gte=today).order_by("start_date", "number")
    cycle = upcoming.values_list("cycle_id", flat=True).first()
    if cycle is None:
        cycle = Session.objects.order_by("-number").values_list("cycle_id", flat=True).first()
    return cycle
