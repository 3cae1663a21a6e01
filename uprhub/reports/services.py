"""Every write to a shadow report: one function per use case.

Each function checks permission first (`require_perm(actor, "reports.edit", report)`, with
the rules in `uprhub.core.rules`), then does its work in one transaction. Views, the API and
commands call these, so they behave alike.

No lost work:

* `save_paragraph` names the version the writer started from. The check and the write are one
  ``UPDATE … WHERE version = expected`` (a compare-and-swap), so of two people saving at the
  same moment exactly one wins; the other gets `EditConflict` carrying both texts.
* Every save, restore and removal leaves a `Revision`; `restore_revision` brings one back
  (as a new revision, so nothing is lost by restoring either). Removing a paragraph only hides
  it.
* Any change of the text, the citations or the cover stamps ``Report.content_changed_at``;
  a sign-off older than that no longer counts, so organisations sign what is actually sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uprhub.accounts import services as accounts_services
from uprhub.accounts.models import Organisation
from uprhub.core.rules import Actor, require_perm
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Review

from .models import (
    Citation,
    Comment,
    Paragraph,
    Report,
    ReportOrganisation,
    ReportRole,
    ReportSection,
    ReportStatus,
    Revision,
    RevisionKind,
    RoleOnReport,
    SectionKind,
    SubmissionType,
)

MAX_PARAGRAPH_CHARS = 20_000
MAX_FOOTNOTES = 50
MAX_FOOTNOTE_CHARS = 2_000


class ReportError(Exception):
    """A refusal the person can act on; the message is translated and safe to show."""


class EditConflict(Exception):
    """Someone saved the paragraph after you loaded it. Both texts travel with the error."""

    def __init__(self, theirs: ParagraphText, yours: ParagraphText) -> None:
        super().__init__("the paragraph changed since it was loaded")
        self.theirs = theirs
        self.yours = yours


class StaleReport(Exception):
    """Someone changed the report's cover details after you loaded them."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"report {report.pk} changed since it was loaded")
        self.report = report


class NotReady(ReportError):
    """The report cannot be marked final yet; `reasons` says why (translated)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class ParagraphText:
    """A paragraph's text at some version, as a conflict shows it."""

    text: str
    footnotes: list[str]
    version: int
    author: str = ""
    saved_at: datetime | None = None
    removed: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "footnotes": list(self.footnotes),
            "version": self.version,
            "author": self.author,
            "saved_at": self.saved_at.isoformat() if self.saved_at else None,
            "removed": self.removed,
        }


def _person(user: Any) -> str:
    from .selectors import person_name

    return person_name(user)


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    if len(text) > MAX_PARAGRAPH_CHARS:
        raise ReportError(
            _("A paragraph can have at most %(n)s characters.") % {"n": MAX_PARAGRAPH_CHARS}
        )
    return text


def clean_footnotes(footnotes: Iterable[str] | str | None) -> list[str]:
    """Footnotes as a list of non-empty strings (a string is split into lines)."""
    if footnotes is None:
        return []
    if isinstance(footnotes, str):
        footnotes = footnotes.splitlines()
    cleaned = [" ".join(str(f).replace("\x00", "").split()) for f in footnotes]
    cleaned = [f for f in cleaned if f]
    if len(cleaned) > MAX_FOOTNOTES:
        raise ReportError(_("A paragraph can have at most %(n)s footnotes.") % {"n": MAX_FOOTNOTES})
    if any(len(f) > MAX_FOOTNOTE_CHARS for f in cleaned):
        raise ReportError(
            _("A footnote can have at most %(n)s characters.") % {"n": MAX_FOOTNOTE_CHARS}
        )
    return cleaned


def _touch(report_id: int, now: datetime | None = None) -> None:
    """The report's content changes now: sign-offs given before need renewing.

    Called first in a write's transaction: the UPDATE locks the report's row, so a write and
    `mark_final` (which locks it too) never interleave, and a final report refuses the write
    even if it became final after the permission check.
    """
    now = now or timezone.now()
    if not Report.objects.filter(pk=report_id, status=ReportStatus.DRAFT).update(
        content_changed_at=now, updated_at=now
    ):
        raise ReportError(_("The report is final; the lead can reopen it for changes."))


def _signing(report: Report, organisation: Organisation) -> ReportOrganisation:
    """The object of "reports.sign_off": this organisation on this report (as passed, so its
    state is the one the caller saw; `_touch` and the row locks handle races)."""
    return ReportOrganisation(report=report, organisation=organisation)


def _report_of(obj: Paragraph | ReportSection) -> Report:
    section = obj.section if isinstance(obj, Paragraph) else obj
    return Report.objects.get(pk=section.report_id)


# --- creating and describing a report ----------------------------------------------------------


def default_title(review: Review, submission_type: str) -> str:
    if submission_type == SubmissionType.JOINT:
        template = _(
            "Joint submission to the Universal Periodic Review of %(state)s, UPR %(session)s"
        )
    else:
        template = _("Submission to the Universal Periodic Review of %(state)s, UPR %(session)s")
    return template % {
        "state": review.state.un_name or review.state.short_name,
        "session": review.session_id,
    }


DEFAULT_SECTIONS = (
    SectionKind.INTRODUCTION,
    SectionKind.NEW_DEVELOPMENTS,
    SectionKind.RECOMMENDATIONS,
)


def _default_section_titles() -> dict[str, str]:
    return {
        SectionKind.INTRODUCTION: _("Introduction"),
        SectionKind.NEW_DEVELOPMENTS: _("New developments since the last review"),
        SectionKind.RECOMMENDATIONS: _("Recommendations"),
    }


def _check_organisations(submission_type: str, organisations: Sequence[Organisation]) -> None:
    if not organisations:
        raise ReportError(_("Choose the organisation that submits the report."))
    if submission_type == SubmissionType.INDIVIDUAL and len(organisations) != 1:
        raise ReportError(
            _("An individual submission comes from one organisation; choose “joint” for more.")
        )


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation registered while starting a report (see `create_report`)."""

    name: str
    kind: str
    country: str
    acronym: str = ""
    city: str = ""


@transaction.atomic
def create_report(
    *,
    actor: Actor,
    review: Review,
    submission_type: str,
    organisations: Sequence[Organisation],
    new_organisation: NewOrganisation | None = None,
    title: str = "",
    contact_name: str = "",
    contact_email: str = "",
    key_words: str = "",
    language: str = "en",
) -> Report:
    """Start a report; the person starting it becomes its lead.

    `organisations` are the submitters chosen from those the actor may name
    ("reports.submit_for": their own, and confirmed ones as partners). `new_organisation`
    registers the actor's organisation in the same transaction, first among the submitters,
    through `accounts.services.create_organisation`: the actor is its contact person, and it is
    a claim (audited) that a coordinator confirms, never a way into an existing organisation
    (an equal name is refused with a ValidationError on ``name``).

    The report starts with the introduction, new developments and recommendations sections;
    follow-up issues are added as the work goes.
    """
    require_perm(actor, "reports.create")
    assert actor is not None  # reports.create is no system rule: require_perm refused None
    organisations = list(dict.fromkeys(organisations))
    for organisation in organisations:
        require_perm(actor, "reports.submit_for", organisation)
    if new_organisation is not None:
        # Count it before registering it: a refused report registers nothing.
        _check_organisations(submission_type, [Organisation(), *organisations])
        registered = accounts_services.create_organisation(
            actor=actor,
            note="registered when starting a report",
            name=new_organisation.name.strip(),
            kind=new_organisation.kind,
            country=new_organisation.country.strip(),
            acronym=new_organisation.acronym.strip(),
            city=new_organisation.city.strip(),
        )
        organisations.insert(0, registered)
    _check_organisations(submission_type, organisations)
    report = Report.objects.create(
        review=review,
        submission_type=submission_type,
        title=title.strip() or default_title(review, submission_type),
        contact_name=contact_name.strip() or _person(actor),
        contact_email=contact_email.strip() or actor.email,
        key_words=key_words.strip(),
        language=language,
        created_by=actor,
    )
    ReportOrganisation.objects.bulk_create(
        ReportOrganisation(report=report, organisation=o, order=i)
        for i, o in enumerate(organisations)
    )
    ReportRole.objects.create(report=report, user=actor, role=RoleOnReport.LEAD, added_by=actor)
    with translation.override(language):
        titles = _default_section_titles()
    ReportSection.objects.bulk_create(
        ReportSection(report=report, kind=kind, title=titles[kind], order=0)
        for kind in DEFAULT_SECTIONS
    )
    return report


@dataclass
class CoverValues:
    title: str
    submission_type: str
    contact_name: str
    contact_email: str
    key_words: str
    language: str
    organisations: list[Organisation] = field(default_factory=list)


def update_cover(
    report: Report, values: CoverValues, *, expected_version: int, actor: Actor
) -> Report:
    """Change the cover details and the submitting organisations (lead or drafter).

    Refused with `StaleReport` when someone saved the cover since `expected_version`.
    Organisations that stay keep their description and sign-off.
    """
    require_perm(actor, "reports.edit", report)
    organisations = list(dict.fromkeys(values.organisations))
    _check_organisations(values.submission_type, organisations)
    now = timezone.now()
    with transaction.atomic():
        updated = Report.objects.filter(
            pk=report.pk, version=expected_version, status=ReportStatus.DRAFT
        ).update(
            title=values.title.strip() or report.title,
            submission_type=values.submission_type,
            contact_name=values.contact_name.strip(),
            contact_email=values.contact_email.strip(),
            key_words=values.key_words.strip(),
            language=values.language,
            version=F("version") + 1,
            content_changed_at=now,
            updated_at=now,
        )
        if not updated:
            current = Report.objects.get(pk=report.pk)
            if not current.is_draft:
                raise ReportError(_("The report is final; the lead can reopen it for changes."))
            raise StaleReport(current)
        existing = {m.organisation_id: m for m in report.members.all()}
        wanted = [o.pk for o in organisations]
        ReportOrganisation.objects.filter(report=report).exclude(
            organisation_id__in=wanted
        ).delete()
        for order, organisation in enumerate(organisations):
            member = existing.get(organisation.pk)
            if member is None:
                ReportOrganisation.objects.create(
                    report=report, organisation=organisation, order=order
                )
            elif member.order != order:
                ReportOrganisation.objects.filter(pk=member.pk).update(order=order)
    report.refresh_from_db()
    return report


@transaction.atomic
def describe_organisation(member: ReportOrganisation, description: str, *, actor: Actor) -> None:
    """The short paragraph on one submitting organisation, for this report."""
    report = Report.objects.get(pk=member.report_id)
    require_perm(actor, "reports.edit", report)
    _touch(report.pk)
    ReportOrganisation.objects.filter(pk=member.pk).update(description=description.strip()[:1500])


# --- people ------------------------------------------------------------------------------------


@transaction.atomic
def set_role(report: Report, user: Any, role: str, *, actor: Actor) -> ReportRole:
    """Give someone a role on the report (lead, drafter, reviewer), or change it."""
    require_perm(actor, "reports.manage_people", report)
    if role not in RoleOnReport.values:
        raise ReportError(_("Unknown role."))
    if not user.is_active:
        raise ReportError(_("This account is not active."))
    current = ReportRole.objects.select_for_update().filter(report=report, user=user).first()
    if current is not None and current.role == RoleOnReport.LEAD and role != RoleOnReport.LEAD:
        _keep_a_lead(report, leaving=current)
    obj, _created = ReportRole.objects.update_or_create(
        report=report, user=user, defaults={"role": role, "added_by": actor}
    )
    return obj


def _keep_a_lead(report: Report, leaving: ReportRole) -> None:
    others = (
        ReportRole.objects.select_for_update()
        .filter(report=report, role=RoleOnReport.LEAD)
        .exclude(pk=leaving.pk)
    )
    if not list(others):
        raise ReportError(_("A report needs a lead: make someone else lead first."))


@transaction.atomic
def remove_role(report: Report, user: Any, *, actor: Actor) -> None:
    require_perm(actor, "reports.manage_people", report)
    current = ReportRole.objects.select_for_update().filter(report=report, user=user).first()
    if current is None:
        return
    if current.role == RoleOnReport.LEAD:
        _keep_a_lead(report, leaving=current)
    current.delete()


# --- sections ----------------------------------------------------------------------------------


@transaction.atomic
def add_section(report: Report, *, kind: str, title: str, actor: Actor) -> ReportSection:
    """Add a section; for the follow-up part, one section per issue."""
    require_perm(actor, "reports.edit", report)
    if kind not in SectionKind.values:
        raise ReportError(_("Unknown kind of section."))
    title = " ".join(title.split())
    if not title:
        raise ReportError(_("Give the section a heading."))
    _touch(report.pk)
    last = report.sections.filter(kind=kind).aggregate(m=Max("order"))["m"]
    return ReportSection.objects.create(
        report=report, kind=kind, title=title[:255], order=(last or 0) + 1
    )


@transaction.atomic
def rename_section(section: ReportSection, title: str, *, actor: Actor) -> ReportSection:
    report = _report_of(section)
    require_perm(actor, "reports.edit", report)
    title = " ".join(title.split())
    if not title:
        raise ReportError(_("Give the section a heading."))
    _touch(report.pk)
    ReportSection.objects.filter(pk=section.pk).update(title=title[:255])
    section.title = title[:255]
    return section


@transaction.atomic
def remove_section(section: ReportSection, *, actor: Actor) -> None:
    """Remove an empty section (no paragraphs, no citations): text is never thrown away."""
    report = _report_of(section)
    require_perm(actor, "reports.edit", report)
    if section.paragraphs.current().exists() or section.citations.exists():
        raise ReportError(_("Move or remove its paragraphs and citations first."))
    # Removed paragraphs keep their history; they move with the section's deletion only if
    # nothing else holds them, so keep them by refusing when any exist.
    if section.paragraphs.exists():
        raise ReportError(
            _("This section has removed paragraphs in its history; keep it or restore them.")
        )
    _touch(report.pk)
    section.delete()


# --- paragraphs --------------------------------------------------------------------------------


def _snapshot(paragraph: Paragraph) -> ParagraphText:
    return ParagraphText(
        text=paragraph.text,
        footnotes=list(paragraph.footnotes or []),
        version=paragraph.version,
        author=_person(paragraph.updated_by),
        saved_at=paragraph.updated_at,
        removed=paragraph.removed_at is not None,
    )


@transaction.atomic
def add_paragraph(
    section: ReportSection,
    text: str = "",
    footnotes: Iterable[str] | str | None = None,
    *,
    actor: Actor,
) -> Paragraph:
    """Append a paragraph to a section (version 1, with its first revision)."""
    report = _report_of(section)
    require_perm(actor, "reports.edit", report)
    text, notes = _clean_text(text), clean_footnotes(footnotes)
    _touch(report.pk)
    last = Paragraph.objects.filter(section=section).aggregate(m=Max("order"))["m"]
    paragraph = Paragraph.objects.create(
        section=section, order=(last or 0) + 1, text=text, footnotes=notes, updated_by=actor
    )
    Revision.objects.create(
        paragraph=paragraph,
        version=1,
        kind=RevisionKind.CREATED,
        text=text,
        footnotes=notes,
        author=actor,
    )
    return paragraph


def save_paragraph(
    paragraph: Paragraph,
    text: str,
    footnotes: Iterable[str] | str | None,
    *,
    expected_version: int,
    actor: Actor,
    autosave: bool = False,
) -> Paragraph:
    """Save a paragraph's text and footnotes if nobody saved it since `expected_version`.

    Raises `EditConflict(theirs, yours)` otherwise, leaving the stored text untouched. A save
    that changes nothing is not recorded. Returns the paragraph as stored.
    """
    report = _report_of(paragraph)
    require_perm(actor, "reports.edit", report)
    text, notes = _clean_text(text), clean_footnotes(footnotes)
    yours = ParagraphText(text, notes, expected_version, author=_person(actor))
    with transaction.atomic():
        current = Paragraph.objects.select_related("updated_by__profile").get(pk=paragraph.pk)
        if (
            current.text == text
            and list(current.footnotes or []) == notes
            and not current.removed_at
        ):
            return current  # nothing to save (even if the version moved: same text)
        now = timezone.now()
        _touch(report.pk, now)
        # The compare-and-swap: one statement checks the version and writes.
        updated = Paragraph.objects.filter(
            pk=paragraph.pk, version=expected_version, removed_at__isnull=True
        ).update(
            text=text, footnotes=notes, version=F("version") + 1, updated_by=actor, updated_at=now
        )
        if not updated:
            current = Paragraph.objects.select_related("updated_by__profile").get(pk=paragraph.pk)
            raise EditConflict(theirs=_snapshot(current), yours=yours)
        Revision.objects.create(
            paragraph_id=paragraph.pk,
            version=expected_version + 1,
            kind=RevisionKind.AUTOSAVED if autosave else RevisionKind.EDITED,
            text=text,
            footnotes=notes,
            author=actor,
        )
    return Paragraph.objects.select_related("section", "updated_by__profile").get(pk=paragraph.pk)


def remove_paragraph(paragraph: Paragraph, *, expected_version: int, actor: Actor) -> None:
    """Hide a paragraph (its history stays; restore it from the history page)."""
    report = _report_of(paragraph)
    require_perm(actor, "reports.edit", report)
    with transaction.atomic():
        now = timezone.now()
        _touch(report.pk, now)
        updated = Paragraph.objects.filter(
            pk=paragraph.pk, version=expected_version, removed_at__isnull=True
        ).update(removed_at=now, version=F("version") + 1, updated_by=actor, updated_at=now)
        if not updated:
            current = Paragraph.objects.select_related("updated_by__profile").get(pk=paragraph.pk)
            raise EditConflict(
                theirs=_snapshot(current),
                yours=ParagraphText(
                    paragraph.text, list(paragraph.footnotes), expected_version, removed=True
                ),
            )
        current = Paragraph.objects.get(pk=paragraph.pk)
        Revision.objects.create(
            paragraph=current,
            version=current.version,
            kind=RevisionKind.REMOVED,
            text=current.text,
            footnotes=current.footnotes,
            author=actor,
        )


def restore_revision(
    revision: Revision, *, actor: Actor, expected_version: int | None = None
) -> Paragraph:
    """Make an earlier revision the current text again (also brings a removed paragraph back).

    `expected_version` is the version the person saw when choosing to restore; when given and
    someone saved since, `EditConflict` is raised as for a normal save.
    """
    paragraph = Paragraph.objects.select_related("section").get(pk=revision.paragraph_id)
    report = _report_of(paragraph)
    require_perm(actor, "reports.edit", report)
    version = paragraph.version if expected_version is None else expected_version
    with transaction.atomic():
        now = timezone.now()
        _touch(report.pk, now)
        updated = Paragraph.objects.filter(pk=paragraph.pk, version=version).update(
            text=revision.text,
            footnotes=revision.footnotes,
            removed_at=None,
            version=F("version") + 1,
            updated_by=actor,
            updated_at=now,
        )
        if not updated:
            current = Paragraph.objects.select_related("updated_by__profile").get(pk=paragraph.pk)
            raise EditConflict(
                theirs=_snapshot(current),
                yours=ParagraphText(revision.text, list(revision.footnotes), version),
            )
        Revision.objects.create(
            paragraph_id=paragraph.pk,
            version=version + 1,
            kind=RevisionKind.RESTORED,
            text=revision.text,
            footnotes=revision.footnotes,
            author=actor,
            restored_from=revision,
        )
    return Paragraph.objects.select_related("section").get(pk=paragraph.pk)


@transaction.atomic
def move_paragraph(paragraph: Paragraph, direction: int, *, actor: Actor) -> None:
    """Swap a paragraph with the one before (direction -1) or after (+1) it in its section."""
    report = _report_of(paragraph)
    require_perm(actor, "reports.edit", report)
    _touch(report.pk)
    siblings = list(
        Paragraph.objects.current()
        .select_for_update()
        .filter(section_id=paragraph.section_id)
        .order_by("order", "pk")
    )
    index = next((i for i, p in enumerate(siblings) if p.pk == paragraph.pk), None)
    if index is None:
        return
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, item in enumerate(siblings, start=1):
        if item.order != order:
            Paragraph.objects.filter(pk=item.pk).update(order=order)


# --- citing past recommendations ---------------------------------------------------------------


@dataclass
class CiteResult:
    added: list[Recommendation]
    already: list[Recommendation]


@transaction.atomic
def cite(
    section: ReportSection, recommendations: Iterable[Recommendation], *, actor: Actor
) -> CiteResult:
    """Cite past recommendations in a section (an issue). Citing twice does nothing.

    Only recommendations made to the State under review can be cited: a report is about one
    State.
    """
    report = Report.objects.select_related("review__state").get(pk=section.report_id)
    require_perm(actor, "reports.edit", report)
    recommendations = list({r.pk: r for r in recommendations}.values())
    wrong = [r for r in recommendations if r.review.state_id != report.review.state_id]
    if wrong:
        raise ReportError(
            _("This report is about %(state)s; recommendation %(number)s was made to %(other)s.")
            % {
                "state": report.review.state.short_name,
                "number": wrong[0].paragraph or wrong[0].pk,
                "other": wrong[0].review.state.short_name,
            }
        )
    existing = set(
        Citation.objects.filter(
            section=section, recommendation__in=[r.pk for r in recommendations]
        ).values_list("recommendation_id", flat=True)
    )
    added = [r for r in recommendations if r.pk not in existing]
    if added:
        _touch(report.pk)
    Citation.objects.bulk_create(
        [Citation(section=section, recommendation=r, added_by=actor) for r in added],
        ignore_conflicts=True,  # a concurrent click on the same button
    )
    return CiteResult(added=added, already=[r for r in recommendations if r.pk in existing])


@transaction.atomic
def uncite(citation: Citation, *, actor: Actor) -> None:
    report = Report.objects.get(pk=citation.section.report_id)
    require_perm(actor, "reports.edit", report)
    _touch(report.pk)
    citation.delete()


# --- corrections from a source that may no longer be quoted --------------------------------------


def correct_paragraph(paragraph_id: int, fix: Callable[[str], str], *, notice: str) -> bool:
    """Correct a paragraph's text and footnotes, every one of its revisions and its comments
    with `fix` (text in, corrected text out), and flag the paragraph to the report's people
    with a comment from UPR Hub (`notice`).

    For text that must leave the report for good, e.g. the quote of a consultation testimony
    whose author withdrew it (or that a moderator redacted further): the history must not keep
    those words either, so revisions are rewritten in place, the one exception to "never
    pruned". No person asks for this, so it takes no actor and runs whatever the report's
    state (a final report is corrected too), in the caller's transaction. The version moves
    on, so a page still holding the old text gets a conflict rather than saving it back.
    Returns whether the current text or footnotes changed.
    """
    with transaction.atomic():
        paragraph = Paragraph.objects.select_for_update().get(pk=paragraph_id)
        for revision in Revision.objects.filter(paragraph_id=paragraph_id):
            text, notes = fix(revision.text), [fix(str(n)) for n in revision.footnotes or []]
            if text != revision.text or notes != list(revision.footnotes or []):
                Revision.objects.filter(pk=revision.pk).update(text=text, footnotes=notes)
        for comment in Comment.objects.filter(paragraph_id=paragraph_id):
            if fix(comment.text) != comment.text:
                Comment.objects.filter(pk=comment.pk).update(text=fix(comment.text))
        text = fix(paragraph.text)
        notes = [fix(str(n)) for n in paragraph.footnotes or []]
        changed = text != paragraph.text or notes != list(paragraph.footnotes or [])
        now = timezone.now()
        if changed:
            Paragraph.objects.filter(pk=paragraph_id).update(
                text=text,
                footnotes=notes,
                version=F("version") + 1,
                updated_by=None,
                updated_at=now,
            )
            Revision.objects.create(
                paragraph_id=paragraph_id,
                version=paragraph.version + 1,
                kind=RevisionKind.CORRECTED,
                text=text,
                footnotes=notes,
            )
            # Sign-offs given before no longer cover the text as it is.
            Report.objects.filter(sections__paragraphs=paragraph_id).update(
                content_changed_at=now, updated_at=now
            )
        Comment.objects.create(paragraph_id=paragraph_id, system=True, text=notice[:4000])
    return changed


# --- comments ----------------------------------------------------------------------------------


@transaction.atomic
def add_comment(paragraph: Paragraph, text: str, *, actor: Actor) -> Comment:
    report = _report_of(paragraph)
    require_perm(actor, "reports.comment", report)
    text = (text or "").strip()
    if not text:
        raise ReportError(_("Write a comment first."))
    return Comment.objects.create(paragraph=paragraph, author=actor, text=text[:4000])


@transaction.atomic
def resolve_comment(comment: Comment, *, actor: Actor, resolved: bool = True) -> None:
    """Mark a comment dealt with (or open it again)."""
    report = _report_of(comment.paragraph)
    require_perm(actor, "reports.comment", report)
    Comment.objects.filter(pk=comment.pk).update(
        resolved_at=timezone.now() if resolved else None, resolved_by=actor if resolved else None
    )


# --- sign-off and final ------------------------------------------------------------------------


@transaction.atomic
def sign_off(report: Report, organisation: Organisation, *, actor: Actor) -> ReportOrganisation:
    """An organisation's member approves the report as it stands now."""
    require_perm(
        actor,
        "reports.sign_off",
        _signing(report, organisation),
        state_error=ReportError(_("The report is already final.")),
    )
    member = ReportOrganisation.objects.select_for_update().get(
        report=report, organisation=organisation
    )
    member.signed_off_at = timezone.now()
    member.signed_off_by = actor
    member.save(update_fields=["signed_off_at", "signed_off_by"])
    return member


@transaction.atomic
def withdraw_sign_off(report: Report, organisation: Organisation, *, actor: Actor) -> None:
    require_perm(
        actor,
        "reports.sign_off",
        _signing(report, organisation),
        state_error=ReportError(_("The report is already final; the lead can reopen it.")),
    )
    ReportOrganisation.objects.filter(report=report, organisation=organisation).update(
        signed_off_at=None, signed_off_by=None
    )


def blockers_from(report: Report, members: Sequence[ReportOrganisation], checked: Any) -> list[str]:
    """Why a loaded and checked report cannot be marked final yet (empty when it can)."""
    reasons: list[str] = []
    for member in members:
        if member.signed_off_at is None:
            reasons.append(
                _("%(organisation)s has not signed off.") % {"organisation": member.organisation}
            )
        elif not member.sign_off_is_current(report):
            reasons.append(
                _("%(organisation)s signed off before the last changes and must sign again.")
                % {"organisation": member.organisation}
            )
    errors = checked.validation.errors
    if errors:
        reasons.append(
            ngettext(
                "The check found %(n)s error: %(first)s",
                "The check found %(n)s errors, the first: %(first)s",
                len(errors),
            )
            % {"n": len(errors), "first": errors[0].message}
        )
    return reasons


def final_blockers(report: Report, *, now: datetime | None = None) -> list[str]:
    """Why the report cannot be marked final yet (empty when it can)."""
    from .checking import check_report
    from .selectors import report_with_everything

    loaded = report_with_everything(report.pk, comments=False)
    if loaded is None:
        raise Report.DoesNotExist(report.pk)
    return blockers_from(loaded, list(loaded.members.all()), check_report(loaded, now=now))


def mark_final(report: Report, *, actor: Actor, now: datetime | None = None) -> Report:
    """The lead marks the report final: every organisation signed off after the last change,
    and the check finds no error. Raises `NotReady` with the reasons otherwise."""
    require_perm(actor, "reports.finalise", report)
    if not report.is_draft:
        return report
    with transaction.atomic():
        # Lock the report so no save slips in between the checks and the status change.
        locked = Report.objects.select_for_update().get(pk=report.pk)
        reasons = final_blockers(locked, now=now)
        if reasons:
            raise NotReady(reasons)
        stamp = timezone.now()
        Report.objects.filter(pk=report.pk, status=ReportStatus.DRAFT).update(
            status=ReportStatus.FINAL, finalised_at=stamp, finalised_by=actor, updated_at=stamp
        )
    report.refresh_from_db()
    return report


@transaction.atomic
def reopen(report: Report, *, actor: Actor) -> Report:
    """Back to draft (the lead), e.g. to correct something after OHCHR's reply."""
    require_perm(actor, "reports.finalise", report)
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.DRAFT, finalised_at=None, finalised_by=None, updated_at=timezone.now()
    )
    report.refresh_from_db()
    return report
