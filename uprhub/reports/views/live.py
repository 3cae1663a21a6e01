"""JSON for editor.js: autosave with the version check, and the live word count."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import quality, selectors, services
from ..checking import check_report
from ..forms import (
    ParagraphForm,
)
from ..models import (
    SectionKind,
)
from ..permissions import access_for
from .common import (
    _int_or_none,
    _paragraph_or_404,
    count_summary,
    finding_dict,
)

# --- JSON for editor.js ------------------------------------------------------------------------


def _json_forbidden() -> JsonResponse:
    return JsonResponse({"error": _("You cannot change this report.")}, status=403)


@require_POST
def autosave(request: HttpRequest, pk: int, paragraph_pk: int) -> JsonResponse:
    """Save a paragraph from the editor: 200 with the new version, or 409 with both texts."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Your session has ended: log in again.")}, status=401)
    report = selectors.report_summary(pk)
    if report is None:
        raise Http404
    if not access_for(report, request.user).can_edit:
        return _json_forbidden()
    paragraph = _paragraph_or_404(report, paragraph_pk)
    form = ParagraphForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": _("The paragraph is too long.")}, status=400)
    try:
        saved = services.save_paragraph(
            paragraph,
            form.cleaned_data["text"],
            form.footnote_list(),
            expected_version=form.cleaned_data["version"] or paragraph.version,
            actor=request.user,
            autosave=request.POST.get("autosave") == "1",
        )
    except services.EditConflict as conflict:
        return JsonResponse(
            {
                "conflict": True,
                "message": _(
                    "%(author)s saved this paragraph while you were writing. Both texts are "
                    "below: keep yours, take theirs, or merge them."
                )
                % {"author": conflict.theirs.author or _("Someone")},
                "theirs": conflict.theirs.as_dict(),
                "yours": conflict.yours.as_dict(),
            },
            status=409,
        )
    except services.ReportError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(
        {
            "version": saved.version,
            "saved_at": saved.updated_at.isoformat(),
            "message": _("Saved"),
        }
    )


@require_POST
def live_count(request: HttpRequest, pk: int) -> JsonResponse:
    """The word count and findings with a paragraph's unsaved text (as people type)."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Your session has ended: log in again.")}, status=401)
    report = selectors.report_with_everything(pk, comments=False)
    if report is None:
        raise Http404
    if not access_for(report, request.user).can_view:
        return JsonResponse({"error": _("You cannot see this report.")}, status=403)
    replace: dict[int, tuple[str, list[str]]] = {}
    append: dict[int, tuple[str, list[str]]] = {}
    text = (request.POST.get("text") or "")[:20_000]
    footnotes = [f.strip() for f in request.POST.get("footnotes", "").splitlines() if f.strip()]
    footnotes = footnotes[:50]
    paragraph_pk = _int_or_none(request.POST.get("paragraph"))
    section_pk = None if paragraph_pk is not None else _int_or_none(request.POST.get("section"))
    target = selectors.live_target(report, paragraph_pk=paragraph_pk, section_pk=section_pk)
    if target is not None and paragraph_pk is not None:
        replace[paragraph_pk] = (text, footnotes)
    elif target is not None:
        append[target.pk] = (text, footnotes)
    estimate = hints = None
    if target is not None and target.kind == SectionKind.RECOMMENDATIONS and text.strip():
        found = quality.estimate_action_category(text)
        estimate = {"category": found.category, "reason": found.reason}
        hints = [
            {"code": h.code, "label": str(h.label), "met": h.met, "message": h.message}
            for h in quality.smart_hints(text, found)
        ]
    checked = check_report(report, replace=replace, append=append)
    validation = checked.validation
    return JsonResponse(
        {
            "words": validation.word_count,
            "words_without_footnotes": validation.word_count_without_footnotes,
            "limit": validation.limit,
            "over": bool(validation.limit and validation.word_count > validation.limit),
            "summary": count_summary(checked),
            "findings": [finding_dict(f) for f in validation.findings],
            "estimate": estimate,
            "hints": hints,
        }
    )
