"""What the State says it did: its claims, imported beside civil society's assessment.

`import_claims` reads a CSV, one claim a line, for the recommendations of one review (named by
a round or by State and cycle)::

    recommendation,document,paragraph,claim,quote,date
    26.176,A/HRC/WG.6/50/USA/1,42,in_progress,"The Administration remains committed …",2025-08-01

``claim`` is one of `ClaimKind` (implemented, in_progress, not_accepted, described; the
English labels are accepted too). The whole file is one transaction: one bad line and nothing
is imported, every error named with its line number. Importing a document again replaces
that document's claims (for that review's recommendations), so a corrected file is simply
imported again.

`claims_from_national_report` reads claims from the State's next national report (/1) where
it cites recommendations by number. The bundled data has no US /1: then it reads nothing, and
the scorecard says "The State's national report is not imported".
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from uprhub.core.rules import require_perm
from uprhub.recommendations.models import Recommendation
from uprhub.reviews.models import Document, Review

from .models import AssessmentRound, ClaimKind, StateClaim
from .paragraphs import parse
from .scorecard import national_report_symbol
from .selectors import review_of_cycle

COLUMNS = ("recommendation", "document", "paragraph", "claim", "quote", "date")
MAX_ERRORS = 50


class ClaimsError(Exception):
    """The file cannot be imported; ``errors`` lists why, line by line (translated)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ClaimsImported:
    review: Review
    created: int = 0
    replaced: int = 0
    documents: list[str] = field(default_factory=list)


def review_for(*, round_slug: str = "", iso3: str = "", cycle: int | None = None) -> Review:
    """The review named by a round's slug, or by State and cycle."""
    if round_slug:
        found = AssessmentRound.objects.select_related("review").filter(slug=round_slug).first()
        if found is None:
            raise ClaimsError([_("No assessment round named %(slug)s.") % {"slug": round_slug}])
        return found.review
    if not iso3 or cycle is None:
        raise ClaimsError([_("Name a round (--round) or a State and a cycle (--state, --cycle).")])
    review = review_of_cycle(iso3, cycle)
    if review is None:
        raise ClaimsError(
            [_("No review of %(state)s in cycle %(cycle)s.") % {"state": iso3, "cycle": cycle}]
        )
    return review


def _claim_kind(value: str) -> str | None:
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    if key in ClaimKind.values:
        return key
    for kind, label in ClaimKind.choices:
        if value.strip().casefold() == str(label).casefold():
            return kind
    return None


def _parse(text: str, paragraphs: dict[str, int]) -> tuple[list[StateClaim], list[str]]:
    """The claims of the CSV text, or the errors (line numbers as a spreadsheet shows them)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [_("The file is empty.")]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return [], [
            _("Line 1: missing columns: %(columns)s (expected: %(expected)s).")
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        ]
    at = {name: header.index(name) for name in COLUMNS}
    claims: list[StateClaim] = []
    errors: list[str] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num  # a quoted cell may span several lines
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        value = {name: cells[index].strip() for name, index in at.items()}
        problems = []
        recommendation_id = paragraphs.get(value["recommendation"])
        if recommendation_id is None:
            problems.append(
                _("no recommendation %(paragraph)s in this review")
                % {"paragraph": value["recommendation"] or "―"}
            )
        if not value["document"]:
            problems.append(_("the document is missing"))
        elif len(value["document"]) > 120:
            problems.append(_("the document symbol is longer than 120 characters"))
        if len(value["paragraph"]) > 20:
            problems.append(_("the paragraph is longer than 20 characters"))
        kind = _claim_kind(value["claim"])
        if kind is None:
            problems.append(
                _("unknown claim %(claim)s (one of: %(kinds)s)")
                % {"claim": value["claim"] or "―", "kinds": ", ".join(ClaimKind.values)}
            )
        if not value["quote"]:
            problems.append(_("the quote is missing"))
        elif len(value["quote"]) > 3000:
            problems.append(_("the quote is longer than 3000 characters"))
        when: date | None = None
        if value["date"]:
            try:
                when = date.fromisoformat(value["date"])
            except ValueError:
                problems.append(_("the date %(date)s is not YYYY-MM-DD") % {"date": value["date"]})
        if problems or recommendation_id is None or kind is None:
            errors.append(
                _("Line %(line)s: %(problems)s.") % {"line": start, "problems": "; ".join(problems)}
            )
            if len(errors) >= MAX_ERRORS:
                errors.append(_("… more errors not shown."))
                break
            continue
        claims.append(
            StateClaim(
                recommendation_id=recommendation_id,
                document_symbol=value["document"],
                paragraph=value["paragraph"],
                claim=kind,
                quote=value["quote"],
                date=when,
            )
        )
    if not claims and not errors:
        errors.append(_("The file has no claims."))
    return claims, errors


def import_claims(source: str | Path, review: Review, *, actor: Any) -> ClaimsImported:
    """Import the State's claims of a CSV file (a path or its text) for ``review``'s
    recommendations: all of them or, on any bad line, none (`ClaimsError`)."""
    require_perm(actor, "followup.manage_round")
    if isinstance(source, Path):
        try:
            text = source.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise ClaimsError(
                [_("Cannot read %(file)s: %(error)s") % {"file": source, "error": error}]
            ) from error
    else:
        text = source
    paragraphs = dict(
        Recommendation.objects.filter(review=review)
        .exclude(paragraph="")
        .values_list("paragraph", "id")
    )
    claims, errors = _parse(text, paragraphs)
    if errors:
        raise ClaimsError(errors)
    documents = sorted({c.document_symbol for c in claims})
    with transaction.atomic():
        replaced, _detail = StateClaim.objects.filter(
            recommendation__review=review, document_symbol__in=documents
        ).delete()
        StateClaim.objects.bulk_create(claims)
    return ClaimsImported(
        review=review, created=len(claims), replaced=replaced, documents=documents
    )


@dataclass
class NationalReportClaims:
    document: str  # its symbol, "" when not imported
    created: int = 0


# A recommendation's number as national reports cite it: "26.176", "(recs. 26.1 and 26.5)";
# not a part of a longer number ("2.5.1", "1.26.176").
_CITED = re.compile(r"(?<![\d.])(\d{1,3}\.\d{1,3})(?![.]?\d)")
_NUMBER = re.compile(r"^\s*\d{1,3}\.\s+")  # the paragraph's own number, "12. "
_MENTIONS = re.compile(r"recommendation|rec\.|recs\.", re.IGNORECASE)


def claims_from_national_report(review: Review, *, actor: Any) -> NationalReportClaims:
    """Claims read from the State's next national report (/1), when it is imported.

    Nothing is read when it is not (the US /1 of the 4th cycle is not bundled): the result
    says so, and the scorecard tells its readers. When it is, each numbered paragraph that
    speaks of recommendations and cites one of this review's by its number ("26.176")
    becomes a "describes measures" claim of that recommendation, quoting the paragraph. The
    claims are only added (those already there, e.g. imported from a corrected CSV, stay):
    running it again adds nothing new.
    """
    require_perm(actor, "followup.manage_round")
    symbol = national_report_symbol(review)
    if not symbol:
        return NationalReportClaims(document="")
    document = Document.objects.filter(symbol=symbol).values("text", "published").first()
    numbers = dict(
        Recommendation.objects.filter(review=review)
        .exclude(paragraph="")
        .values_list("paragraph", "id")
    )
    existing = set(
        StateClaim.objects.filter(
            recommendation__review=review, document_symbol=symbol
        ).values_list("recommendation_id", "paragraph")
    )
    text = document["text"] if document else ""
    lines = text.splitlines()
    parsed = parse(text)
    found: list[StateClaim] = []
    for n, paragraph in enumerate(parsed):
        # The paragraph's lines as written, for the numbers and the quote: the parsed text
        # has footnote numbers taken out, which takes the "2" off "recommendation 26.2" too.
        end = parsed[n + 1].start_line - 1 if n + 1 < len(parsed) else len(lines)
        raw = " ".join(" ".join(lines[paragraph.start_line - 1 : end]).split())
        raw = _NUMBER.sub("", raw, count=1)
        if not _MENTIONS.search(raw):
            continue
        for number in sorted(set(_CITED.findall(raw)) & set(numbers)):
            key = (numbers[number], str(paragraph.number))
            if key in existing:
                continue
            existing.add(key)
            found.append(
                StateClaim(
                    recommendation_id=numbers[number],
                    document_symbol=symbol,
                    paragraph=str(paragraph.number),
                    claim=ClaimKind.DESCRIBED,
                    quote=raw[:3000],
                    date=document["published"] if document else None,
                )
            )
    with transaction.atomic():
        StateClaim.objects.bulk_create(found)
    return NationalReportClaims(document=symbol, created=len(found))
