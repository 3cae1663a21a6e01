"""The checks, one function per rule code, and `validate` that runs those in force."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..document import (
    Finding,
    Paragraph,
    ReportDocument,
    Severity,
    SubmissionType,
    ValidationReport,
)
from ..rules import Rule, RuleSet
from .deadline import deadline_countdown, deadline_in_geneva, deadline_label
from .language import OFFICIAL_LANGUAGES, detect_language, language_name, normalise_language
from .words import WordCounts, format_count, word_counts


@dataclass
class _Context:
    doc: ReportDocument
    now: datetime
    counts: WordCounts
    paragraphs: list[Paragraph]
    numbers: list[int | None]  # each paragraph's number (given or derived), None if unnumbered
    text_sample: str
    limit: int = 0
    limit_note: str = ""
    count_footnotes: bool = True


def _finding(
    rule: Rule,
    message: str,
    *,
    severity: Severity | None = None,
    paragraph: int | None = None,
    key: str = "",
) -> Finding:
    return Finding(
        rule=rule.code,
        severity=severity or rule.severity,
        message=rule.message_override or message,
        paragraph=paragraph,
        source_note=rule.source_note,
        paragraph_key=key,
    )


def _severity(rule: Rule, param: str, default: Severity) -> Severity:
    try:
        return Severity(rule.param(param, default))
    except ValueError:
        return default


def _snippet(text: str, words: int = 8) -> str:
    parts = text.split()
    short = " ".join(parts[:words])
    return f"{short}…" if len(parts) > words else short


def _check_has_text(rule: Rule, ctx: _Context) -> list[Finding]:
    if ctx.counts.text == 0 or not ctx.paragraphs:
        return [_finding(rule, _("The report has no text yet: add at least one paragraph."))]
    return []


def _check_word_limit(rule: Rule, ctx: _Context) -> list[Finding]:
    joint = ctx.doc.cover.submission_type == SubmissionType.JOINT
    limit = int(rule.param("joint" if joint else "individual", 0) or 0)
    ctx.limit = limit
    ctx.limit_note = rule.source_note
    ctx.count_footnotes = bool(rule.param("count_footnotes", True))
    if not limit:
        return []
    with_notes, without = ctx.counts.total, ctx.counts.text
    kind = _("a joint submission") if joint else _("an individual submission")
    # Numbers grouped for the reader ("14,783"); the report's fields keep them as ints.
    values = {
        "limit": format_count(limit),
        "kind": kind,
        "with": format_count(with_notes),
        "without": format_count(without),
    }
    counted = with_notes if rule.param("count_footnotes", True) else without
    if counted > limit:
        values["over"] = format_count(counted - limit)
        return [
            _finding(
                rule,
                # The plural follows the words to cut (the other counts are never one).
                ngettext(
                    "The report has %(with)s words with footnotes (%(without)s without); the "
                    "limit for %(kind)s is %(limit)s words. Cut at least %(over)s word.",
                    "The report has %(with)s words with footnotes (%(without)s without); the "
                    "limit for %(kind)s is %(limit)s words. Cut at least %(over)s words.",
                    counted - limit,
                )
                % values,
            )
        ]
    if with_notes > limit:
        # Within the limit only if footnotes do not count, which is unverified.
        return [
            _finding(
                rule,
                _(
                    "Without footnotes the report has %(without)s words, within the limit of "
                    "%(limit)s; with footnotes it has %(with)s. Whether footnotes count is not "
                    "confirmed: check the current OHCHR guidelines."
                )
                % values,
                severity=Severity.WARNING,
            )
        ]
    if counted >= limit * float(rule.param("warn_ratio", 0.9)):
        values["left"] = format_count(limit - counted)
        return [
            _finding(
                rule,
                ngettext(
                    "%(left)s word left before the limit of %(limit)s words for %(kind)s.",
                    "%(left)s words left before the limit of %(limit)s words for %(kind)s.",
                    limit - counted,
                )
                % values,
                severity=Severity.TIP,
            )
        ]
    return []


def _check_numbered_paragraphs(rule: Rule, ctx: _Context) -> list[Finding]:
    paragraphs = ctx.paragraphs
    if not paragraphs:
        return []
    unnumbered = [
        (index, p) for index, p in enumerate(paragraphs) if not p.is_numbered and p.text.strip()
    ]
    if len(unnumbered) == len(paragraphs):
        return [
            _finding(
                rule,
                ngettext(
                    "The paragraph is not numbered. OHCHR asks for numbered paragraphs.",
                    "None of the %(n)s paragraphs is numbered. OHCHR asks for numbered paragraphs.",
                    len(paragraphs),
                )
                % {"n": len(paragraphs)},
            )
        ]
    findings: list[Finding] = []
    max_listed = int(rule.param("max_listed", 10))
    partial = _severity(rule, "partial_severity", Severity.WARNING)
    for index, paragraph in unnumbered[:max_listed]:
        previous = next((n for n in reversed(ctx.numbers[:index]) if n is not None), None)
        if previous is None:
            where = _("before paragraph 1")
        else:
            where = _("after paragraph %(n)s") % {"n": previous}
        findings.append(
            _finding(
                rule,
                _('The paragraph "%(text)s" (%(where)s) has no number.')
                % {"text": _snippet(paragraph.text), "where": where},
                severity=partial,
                key=paragraph.key,
            )
        )
    if len(unnumbered) > max_listed:
        findings.append(
            _finding(
                rule,
                _("%(n)s more paragraphs have no number.") % {"n": len(unnumbered) - max_listed},
                severity=partial,
            )
        )
    # The numbers must run 1, 2, 3… (a Word draft can skip or repeat a typed number).
    sequence = _severity(rule, "sequence_severity", Severity.WARNING)
    expected = 1
    problems = 0
    for paragraph, number in zip(paragraphs, ctx.numbers, strict=True):
        if number is None:
            continue
        if number != expected and problems < max_listed:
            problems += 1
            findings.append(
                _finding(
                    rule,
                    _("Paragraph %(number)s should be numbered %(expected)s.")
                    % {"number": number, "expected": expected},
                    severity=sequence,
                    paragraph=number,
                    key=paragraph.key,
                )
            )
        expected = number + 1
    return findings


def _check_official_language(rule: Rule, ctx: _Context) -> list[Finding]:
    allowed = tuple(rule.param("languages", OFFICIAL_LANGUAGES))
    preferred = tuple(rule.param("preferred", ("en", "fr", "es")))
    declared = normalise_language(ctx.doc.cover.language or "")
    detected = detect_language(ctx.text_sample) if rule.param("detect", True) else None
    findings: list[Finding] = []
    names = ", ".join(language_name(code) for code in allowed)
    language = declared or detected
    if not language:
        return [
            _finding(
                rule,
                _("Say which language the report is written in (%(names)s).") % {"names": names},
                severity=Severity.TIP,
            )
        ]
    if language not in allowed:
        findings.append(
            _finding(
                rule,
                _(
                    "%(language)s is not a UN official language. Write the report in one of: "
                    "%(names)s."
                )
                % {"language": language_name(language), "names": names},
            )
        )
    elif language not in preferred:
        findings.append(
            _finding(
                rule,
                _("OHCHR prefers submissions in %(names)s.")
                % {"names": ", ".join(language_name(code) for code in preferred)},
                severity=Severity.TIP,
            )
        )
    if declared and detected and detected != declared:
        values = {"declared": language_name(declared), "detected": language_name(detected)}
        detection = _severity(rule, "detection_severity", Severity.WARNING)
        if detected not in allowed:
            message = _(
                "The text looks like %(detected)s, which is not a UN official language "
                "(the report is set to %(declared)s)."
            )
        else:
            message = _("The report is set to %(declared)s but its text looks like %(detected)s.")
        findings.append(_finding(rule, message % values, severity=detection))
    return findings


def _check_one_state(rule: Rule, ctx: _Context) -> list[Finding]:
    cover = ctx.doc.cover
    if not (cover.state_name.strip() or cover.state_code.strip()):
        return [_finding(rule, _("Say which State the submission is about: one State only."))]
    codes = {c.strip().upper() for c in ctx.doc.states_mentioned if c.strip()}
    if cover.state_code.strip():
        codes.add(cover.state_code.strip().upper())
    if len(codes) > 1:
        return [
            _finding(
                rule,
                _(
                    "A submission concerns one State, but several are named as the State under "
                    "review: %(codes)s. Write one submission per State."
                )
                % {"codes": ", ".join(sorted(codes))},
            )
        ]
    return []


def _check_joint_organisations(rule: Rule, ctx: _Context) -> list[Finding]:
    doc = ctx.doc
    named = [org for org in doc.organisations if org.name.strip()]
    if doc.cover.submission_type != SubmissionType.JOINT:
        if len(named) > 1:
            return [
                _finding(
                    rule,
                    _(
                        "%(n)s organisations are listed but the submission is individual: is "
                        "it a joint submission?"
                    )
                    % {"n": len(named)},
                    severity=Severity.TIP,
                )
            ]
        return []
    if not named:
        return [
            _finding(
                rule,
                _(
                    "A joint submission must give the names of all submitting organisations at "
                    'the start of the text; none were found. Add a "Submitting organisations" '
                    "list."
                ),
            )
        ]
    findings: list[Finding] = []
    minimum = int(rule.param("min_organisations", 2))
    if len(named) < minimum:
        findings.append(
            _finding(
                rule,
                ngettext(
                    "A joint submission is made by several organisations, but only %(n)s is "
                    "listed. Add the others, or make it an individual submission.",
                    "A joint submission is made by several organisations, but only %(n)s are "
                    "listed. Add the others, or make it an individual submission.",
                    len(named),
                )
                % {"n": len(named)},
            )
        )
    if len(named) < len(doc.organisations):
        findings.append(_finding(rule, _("An organisation in the list has no name.")))
    main = doc.cover.main_submitter.strip().casefold()
    listed = any(
        main in (org.name.strip().casefold(), org.acronym.strip().casefold()) for org in named
    )
    # A draft's "Submitted by the Coalition X (JS): Org A; Org B" names the coalition with
    # its members at the start: that is the main submitter listed.
    if main and not listed and main not in doc.organisations_text.casefold():
        findings.append(
            _finding(
                rule,
                _("The main submitter, %(name)s, is not in the list of organisations.")
                % {"name": doc.cover.main_submitter.strip()},
                severity=Severity.WARNING,
            )
        )
    return findings


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_cover_information(rule: Rule, ctx: _Context) -> list[Finding]:
    cover = ctx.doc.cover
    fields = set(rule.param("fields", ()))
    checks: list[tuple[str, bool, Any]] = [
        ("state", bool(cover.state_name.strip() or cover.state_code.strip()), _("the State")),
        (
            "session",
            bool(cover.session or cover.session_month_year.strip()),
            _("the session (month and year)"),
        ),
        ("submission_type", bool(cover.submission_type), _("individual or joint")),
        ("main_submitter", bool(cover.main_submitter.strip()), _("the main submitter")),
        ("contact_name", bool(cover.contact_name.strip()), _("a contact person")),
        ("contact_email", bool(cover.contact_email.strip()), _("the contact's e-mail")),
    ]
    missing = [str(label) for name, present, label in checks if name in fields and not present]
    findings: list[Finding] = []
    if missing:
        findings.append(
            _finding(
                rule,
                _("The cover information is incomplete. Missing: %(fields)s.")
                % {"fields": ", ".join(missing)},
            )
        )
    email = cover.contact_email.strip()
    if "contact_email" in fields and email and not _EMAIL.match(email):
        findings.append(
            _finding(rule, _("The contact e-mail %(email)s looks wrong.") % {"email": email})
        )
    if "organisation_description" in fields:
        bare = [org.name for org in ctx.doc.organisations if org.name and not org.description]
        if bare or not ctx.doc.organisations:
            findings.append(
                _finding(
                    rule,
                    _(
                        "Add a short paragraph on each organisation: its activities and date of "
                        "establishment."
                    ),
                    severity=Severity.TIP,
                )
            )
    return findings


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _check_period_covered(rule: Rule, ctx: _Context) -> list[Finding]:
    cover = ctx.doc.cover
    last = _parse_date(cover.last_review_date) if cover.last_review_date else None
    last_text = formats.date_format(last, "DATE_FORMAT") if last else ""
    if not cover.period_start.strip():
        if last:
            message = _(
                "Say which period the report covers: the developments since the last review "
                "(%(date)s)."
            ) % {"date": last_text}
        else:
            message = _(
                "Say which period the report covers: the developments since the last review."
            )
        return [_finding(rule, message)]
    start = _parse_date(cover.period_start)
    if start is None:
        return [
            _finding(
                rule,
                _("The start of the period covered (%(value)s) is not a date.")
                % {"value": cover.period_start},
                severity=Severity.WARNING,
            )
        ]
    findings: list[Finding] = []
    if last and start < last:
        findings.append(
            _finding(
                rule,
                _(
                    "The report covers from %(start)s, before the last review on %(last)s. "
                    "Focus on the implementation of its recommendations and developments since."
                )
                % {"start": formats.date_format(start, "DATE_FORMAT"), "last": last_text},
            )
        )
    max_years = rule.param("max_years")
    end = _parse_date(cover.period_end) if cover.period_end else ctx.now.date()
    if max_years and end and (end - start) > timedelta(days=round(365.25 * float(max_years))):
        findings.append(
            _finding(
                rule,
                _("The period covered is longer than %(n)s years.") % {"n": max_years},
            )
        )
    return findings


def _check_deadline(rule: Rule, ctx: _Context) -> list[Finding]:
    deadline = ctx.doc.deadline
    if deadline is None:
        return [
            _finding(
                rule,
                _(
                    "No deadline is known for this review: check OHCHR's page for the session "
                    "(submissions close at %(time)s Geneva time)."
                )
                % {"time": rule.param("closes_at", "23:59")},
                severity=Severity.TIP,
            )
        ]
    due = deadline_in_geneva(deadline)
    label = deadline_label(due)
    if due <= ctx.now:
        return [
            _finding(
                rule,
                _("The deadline has passed: %(deadline)s. Late submissions are not considered.")
                % {"deadline": label},
            )
        ]
    countdown = deadline_countdown(due, ctx.now).text
    near = due - ctx.now <= timedelta(days=float(rule.param("warn_days", 7)))
    return [
        _finding(
            rule,
            _("%(left)s left until the deadline: %(deadline)s.")
            % {"left": countdown, "deadline": label},
            severity=Severity.WARNING if near else Severity.TIP,
        )
    ]


_INTRODUCTION_TITLES = re.compile(
    r"intro|summary|résumé|resumen|synth|overview|aperçu|présentation|presentación", re.I
)


def _check_introduction(rule: Rule, ctx: _Context) -> list[Finding]:
    sections = [s for s in ctx.doc.sections if s.paragraphs or s.title]
    if not sections:
        return []
    first = sections[0]
    if first.kind == "introduction" or _INTRODUCTION_TITLES.search(first.title or ""):
        return []
    return [_finding(rule, _("Start with a short introduction that summarises the main points."))]


def _check_key_words(rule: Rule, ctx: _Context) -> list[Finding]:
    if any(k.strip() for k in ctx.doc.cover.key_words):
        return []
    return [
        _finding(
            rule,
            _('Add a few key words for the subjects covered (e.g. "domestic violence").'),
        )
    ]


CHECKS: dict[str, Callable[[Rule, _Context], list[Finding]]] = {
    "has_text": _check_has_text,
    "word_limit": _check_word_limit,
    "numbered_paragraphs": _check_numbered_paragraphs,
    "official_language": _check_official_language,
    "one_state": _check_one_state,
    "joint_organisations": _check_joint_organisations,
    "cover_information": _check_cover_information,
    "period_covered": _check_period_covered,
    "deadline": _check_deadline,
    "introduction": _check_introduction,
    "key_words": _check_key_words,
}

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.TIP: 2}


def _paragraph_numbers(paragraphs: list[Paragraph]) -> list[int | None]:
    """Each paragraph's number; numbered paragraphs without one get their running number."""
    if any(p.is_numbered and p.number is not None for p in paragraphs):
        return [p.number if p.is_numbered else None for p in paragraphs]
    numbers: list[int | None] = []
    running = 0
    for paragraph in paragraphs:
        if paragraph.is_numbered:
            running += 1
            numbers.append(running)
        else:
            numbers.append(None)
    return numbers


def validate(
    doc: ReportDocument,
    *,
    rules: RuleSet | Iterable[Rule] | None = None,
    now: datetime | None = None,
) -> ValidationReport:
    """Check `doc` against `rules` (default: those in force for its cycle) at time `now`.

    Findings come sorted: errors, warnings, tips, then by paragraph. The document is not
    changed.
    """
    if rules is None:
        from ..rules import rules_for_cycle

        rules = rules_for_cycle(doc.cover.cycle)
    elif not isinstance(rules, RuleSet):
        rules = RuleSet.of(rules, doc.cover.cycle)
    paragraphs = doc.paragraphs()
    sample_parts: list[str] = []
    size = 0
    for paragraph in paragraphs:
        if size > 20_000:
            break
        sample_parts.append(paragraph.text)
        size += len(paragraph.text)
    ctx = _Context(
        doc=doc,
        now=now or timezone.now(),
        counts=word_counts(doc),
        paragraphs=paragraphs,
        numbers=_paragraph_numbers(paragraphs),
        text_sample="\n".join(sample_parts),
    )
    findings: list[Finding] = []
    for rule in rules:
        check = CHECKS.get(rule.code)
        if check is not None:
            findings.extend(check(rule, ctx))
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.paragraph or 0))
    return ValidationReport(
        word_count=ctx.counts.total,
        word_count_without_footnotes=ctx.counts.text,
        limit=ctx.limit,
        findings=findings,
        limit_note=ctx.limit_note,
        count_footnotes=ctx.count_footnotes,
    )
