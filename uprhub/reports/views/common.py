"""What every report view shares: loading a report with its permissions, anchors, findings."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..checking import Checked
from ..document import Finding, Severity
from ..models import (
    Paragraph,
    Report,
    ReportSection,
)
from ..permissions import access_for
from ..validator import format_count

# --- helpers -----------------------------------------------------------------------------------


def _report_view(
    need: str = "view", *, load: Callable[[int], Report | None] = selectors.report_summary
) -> Callable:
    """Decorator: load the report, compute access once, refuse unless `need` is allowed.

    Anonymous visitors are sent to the login page; signed-in people without the right get 403.
    The view receives ``(request, report, access, **kwargs)``.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            report = load(pk)
            if report is None:
                raise Http404(_("There is no such report."))
            access = access_for(report, request.user)
            allowed = {
                "view": access.can_view,
                "edit": access.can_edit,
                "comment": access.can_comment,
                "manage": access.can_manage,
                "finalise": access.can_finalise,
                "sign_off": access.can_sign_off_any,
            }[need]
            if not allowed:
                raise PermissionDenied
            return view(request, report, access, **kwargs)

        return wrapped

    return decorator


def _back(report: Report, anchor: str = "") -> str:
    return report.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _paragraph_or_404(report: Report, pk: int, *, include_removed: bool = False) -> Paragraph:
    paragraph = selectors.paragraph_in_report(report, pk, include_removed=include_removed)
    if paragraph is None:
        raise Http404(_("There is no such paragraph in this report."))
    return paragraph


def _section_or_404(report: Report, pk: int) -> ReportSection:
    section = selectors.section_in_report(report, pk)
    if section is None:
        raise Http404(_("There is no such section in this report."))
    return section


SEVERITY_LABELS = {
    Severity.ERROR: gettext_lazy("Error"),
    Severity.WARNING: gettext_lazy("Warning"),
    Severity.TIP: gettext_lazy("Tip"),
}


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "severity": str(finding.severity),
        "label": str(SEVERITY_LABELS.get(finding.severity, finding.severity)),
        "message": finding.message,
        "paragraph": finding.paragraph,
        "rule": finding.rule,
    }


def count_summary(checked: Checked) -> str:
    validation = checked.validation
    # Grouped like the validator's messages, in the active language ("14,783", "14 783").
    values = {
        "words": format_count(validation.word_count),
        "without": format_count(validation.word_count_without_footnotes),
        "limit": format_count(validation.limit),
    }
    if validation.limit:
        return _("%(words)s of %(limit)s words (%(without)s without footnotes)") % values
    return _("%(words)s words (%(without)s without footnotes)") % values


def editor_strings() -> dict[str, str]:
    """The words editor.js shows, translated."""
    return {
        "saving": _("Saving…"),
        "offline": _("Not saved: no connection. Your text stays here; try again."),
        "theirs": _("Their version"),
        "yours": _("Your version (still in the box above)"),
        "keep": _("Keep my version"),
        "take": _("Use their version"),
        "category": _("Estimated action category %s"),
    }


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
