"""Writing: sections, paragraphs (save with version check, conflicts, history, restore) and
comments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..diffs import diff_lists, diff_words
from ..forms import (
    CommentForm,
    ParagraphForm,
    RenameSectionForm,
    SectionForm,
)
from ..models import (
    Paragraph,
    Report,
)
from ..permissions import Access
from .common import (
    _back,
    _paragraph_or_404,
    _report_view,
    _section_or_404,
)

# --- sections ----------------------------------------------------------------------------------


@require_POST
@_report_view("edit")
def section_add(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the part of the report and give the section a heading."))
        return redirect(_back(report, "add-section"))
    section = services.add_section(
        report, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"], actor=request.user
    )
    messages.success(request, _("The section “%(title)s” is added.") % {"title": section.title})
    return redirect(_back(report, f"section-{section.pk}"))


@require_POST
@_report_view("edit")
def section_rename(
    request: HttpRequest, report: Report, access: Access, section_pk: int
) -> HttpResponse:
    section = _section_or_404(report, section_pk)
    form = RenameSectionForm(request.POST)
    if form.is_valid():
        services.rename_section(section, form.cleaned_data["title"], actor=request.user)
    else:
        messages.error(request, _("Give the section a heading."))
    return redirect(_back(report, f"section-{section.pk}"))


@require_POST
@_report_view("edit")
def section_remove(
    request: HttpRequest, report: Report, access: Access, section_pk: int
) -> HttpResponse:
    section = _section_or_404(report, section_pk)
    try:
        services.remove_section(section, actor=request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect(_back(report, f"section-{section.pk}"))
    messages.success(request, _("The section is removed."))
    return redirect(report)


# --- paragraphs --------------------------------------------------------------------------------


@require_POST
@_report_view("edit")
def paragraph_add(
    request: HttpRequest, report: Report, access: Access, section_pk: int
) -> HttpResponse:
    section = _section_or_404(report, section_pk)
    form = ParagraphForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The paragraph is too long."))
        return redirect(_back(report, f"section-{section.pk}"))
    try:
        paragraph = services.add_paragraph(
            section, form.cleaned_data["text"], form.footnote_list(), actor=request.user
        )
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect(_back(report, f"section-{section.pk}"))
    return redirect(_back(report, f"para-{paragraph.pk}"))


def _conflict_page(
    request: HttpRequest, report: Report, paragraph: Paragraph, conflict: services.EditConflict
) -> HttpResponse:
    form = ParagraphForm(
        initial={
            "text": conflict.yours.text,
            "footnotes": "\n".join(conflict.yours.footnotes),
            "version": conflict.theirs.version,
        }
    )
    return render(
        request,
        "reports/paragraph_edit.html",
        {
            "report": report,
            "paragraph": paragraph,
            "form": form,
            "conflict": conflict,
            "diff": diff_words(conflict.theirs.text, conflict.yours.text),
        },
        status=409,
    )


@_report_view("edit")
def paragraph_edit(
    request: HttpRequest, report: Report, access: Access, paragraph_pk: int
) -> HttpResponse:
    """One paragraph's form: the no-JavaScript save, and where a conflict is resolved."""
    paragraph = _paragraph_or_404(report, paragraph_pk)
    if request.method == "POST":
        form = ParagraphForm(request.POST)
        if form.is_valid():
            try:
                services.save_paragraph(
                    paragraph,
                    form.cleaned_data["text"],
                    form.footnote_list(),
                    expected_version=form.cleaned_data["version"] or paragraph.version,
                    actor=request.user,
                )
            except services.EditConflict as conflict:
                return _conflict_page(request, report, paragraph, conflict)
            except services.ReportError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, _("The paragraph is saved."))
                return redirect(_back(report, f"para-{paragraph.pk}"))
    else:
        form = ParagraphForm(
            initial={
                "text": paragraph.text,
                "footnotes": "\n".join(paragraph.footnotes or []),
                "version": paragraph.version,
            }
        )
    return render(
        request,
        "reports/paragraph_edit.html",
        {"report": report, "paragraph": paragraph, "form": form},
        status=400 if form.errors else 200,
    )


def _posted_version(request: HttpRequest) -> int | None:
    """The paragraph version the page was showing (the "version" field), None if absent."""
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@require_POST
@_report_view("edit")
def paragraph_remove(
    request: HttpRequest, report: Report, access: Access, paragraph_pk: int
) -> HttpResponse:
    paragraph = _paragraph_or_404(report, paragraph_pk)
    version = _posted_version(request) or paragraph.version
    try:
        services.remove_paragraph(paragraph, expected_version=version, actor=request.user)
    except services.EditConflict as conflict:
        return _conflict_page(request, report, paragraph, conflict)
    messages.success(
        request, _("The paragraph is removed. Its history keeps it; restore it from there.")
    )
    return redirect(_back(report, f"section-{paragraph.section_id}"))


@require_POST
@_report_view("edit")
def paragraph_move(
    request: HttpRequest, report: Report, access: Access, paragraph_pk: int
) -> HttpResponse:
    paragraph = _paragraph_or_404(report, paragraph_pk)
    services.move_paragraph(
        paragraph, -1 if request.POST.get("direction") == "up" else 1, actor=request.user
    )
    return redirect(_back(report, f"para-{paragraph.pk}"))


@require_GET
@_report_view("view")
def paragraph_history(
    request: HttpRequest, report: Report, access: Access, paragraph_pk: int
) -> HttpResponse:
    paragraph = _paragraph_or_404(report, paragraph_pk, include_removed=True)
    revisions = selectors.paragraph_history(paragraph)
    entries = []
    for index, revision in enumerate(revisions):
        before = revisions[index + 1] if index + 1 < len(revisions) else None
        entries.append(
            {
                "revision": revision,
                "diff": diff_words(before.text if before else "", revision.text),
                "footnotes": diff_lists(
                    list(before.footnotes) if before else [], list(revision.footnotes)
                ),
                "is_current": revision.version == paragraph.version,
            }
        )
    return render(
        request,
        "reports/history.html",
        {"report": report, "access": access, "paragraph": paragraph, "entries": entries},
    )


@require_POST
@_report_view("edit")
def revision_restore(
    request: HttpRequest, report: Report, access: Access, revision_pk: int
) -> HttpResponse:
    revision = selectors.revision_in_report_or_404(report, revision_pk)
    try:
        paragraph = services.restore_revision(
            revision, actor=request.user, expected_version=_posted_version(request)
        )
    except services.EditConflict as conflict:
        return _conflict_page(request, report, revision.paragraph, conflict)
    messages.success(
        request, _("Version %(n)s is the current text again.") % {"n": revision.version}
    )
    return redirect(_back(report, f"para-{paragraph.pk}"))


@_report_view("view")
def removed_paragraphs(request: HttpRequest, report: Report, access: Access) -> HttpResponse:
    return render(
        request,
        "reports/removed.html",
        {"report": report, "access": access, "paragraphs": selectors.removed_paragraphs(report)},
    )


# --- comments ----------------------------------------------------------------------------------


@require_POST
@_report_view("comment")
def comment_add(
    request: HttpRequest, report: Report, access: Access, paragraph_pk: int
) -> HttpResponse:
    paragraph = _paragraph_or_404(report, paragraph_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(paragraph, form.cleaned_data["text"], actor=request.user)
        messages.success(request, _("Your comment is added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect(_back(report, f"para-{paragraph.pk}"))


@require_POST
@_report_view("comment")
def comment_resolve(
    request: HttpRequest, report: Report, access: Access, comment_pk: int
) -> HttpResponse:
    comment = selectors.comment_in_report_or_404(report, comment_pk)
    resolved = request.POST.get("resolved", "1") == "1"
    services.resolve_comment(comment, actor=request.user, resolved=resolved)
    return redirect(_back(report, f"para-{comment.paragraph_id}"))
