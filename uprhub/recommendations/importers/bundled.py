"""The data shipped inside the package (``recommendations/data/bundled``), loaded on first start
so that a new user sees real recommendations immediately.

Loading is idempotent: every file is an ordinary import, so running it again changes nothing,
and a newer bundled file (after an upgrade) updates in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from uprhub.recommendations.importers.base import ImportSummary, Progress
from uprhub.recommendations.importers.kinds import run_kind
from uprhub.recommendations.importers.reference import load_reference_data
from uprhub.recommendations.models import Source
from uprhub.reviews.models import Document

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "bundled"

#: (import kind, path under BUNDLED_DIR), in loading order.
BUNDLED_FILES: tuple[tuple[str, str], ...] = (
    ("uprinfo", "uprinfo/recommendations-sessions-01-17.csv"),
    ("uprinfo-pledges", "uprinfo/voluntary-pledges-sessions-01-17.csv"),
    ("ohchr-csv", "ohchr/usa-cycle3-recommendations.csv"),
    ("ohchr-docx", "ohchr/thematic-lists/UPR48_Slovenia_thematic_list.docx"),
    ("un-document", "ohchr/A_HRC_WG.6_50_USA_2.txt"),
    ("un-document", "ohchr/A_HRC_WG.6_50_USA_3.txt"),
)
BUNDLED_DOCUMENTS = ("A/HRC/WG.6/50/USA/2", "A/HRC/WG.6/50/USA/3")


def bundled_path(relative: str) -> Path:
    return BUNDLED_DIR / relative


#: What each bundled file is, in words, for the first start's progress lines.
BUNDLED_LABELS: dict[str, str | Promise] = {
    "uprinfo/recommendations-sessions-01-17.csv": _(
        "UPR Info's recommendations, sessions 1 to 17 (the longest step)"
    ),
    "uprinfo/voluntary-pledges-sessions-01-17.csv": _(
        "UPR Info's voluntary pledges, sessions 1 to 17"
    ),
    "ohchr/usa-cycle3-recommendations.csv": _(
        "OHCHR's list of the United States' 3rd-cycle recommendations"
    ),
    "ohchr/thematic-lists/UPR48_Slovenia_thematic_list.docx": _(
        "OHCHR's thematic list of Slovenia's 4th-cycle recommendations"
    ),
    "ohchr/A_HRC_WG.6_50_USA_2.txt": _("UN compilation on the United States (UPR 50)"),
    "ohchr/A_HRC_WG.6_50_USA_3.txt": _(
        "UN summary of stakeholders' submissions on the United States (UPR 50)"
    ),
}


@dataclass(frozen=True)
class BundledStep:
    """One step of loading the bundled data: what it is, and how to run it."""

    label: str | Promise
    run: Callable[[Progress | None], ImportSummary]


def bundled_steps() -> list[BundledStep]:
    """The reference data, then every bundled file, in loading order (each step is its own
    transaction), so a caller can say what is being loaded as it goes."""
    steps = [
        BundledStep(
            _("States, UPR cycles, Working Group sessions and reviews"),
            lambda progress: load_reference_data(),
        )
    ]
    for kind, relative in BUNDLED_FILES:
        steps.append(
            BundledStep(
                BUNDLED_LABELS.get(relative, Path(relative).name),
                lambda progress, kind=kind, relative=relative: run_kind(
                    kind, bundled_path(relative), progress=progress
                ),
            )
        )
    return steps


def load_bundled_data(progress: Progress | None = None) -> list[ImportSummary]:
    """Load the reference data, then every bundled file (each in its own transaction)."""
    return [step.run(progress) for step in bundled_steps()]


def is_loaded() -> bool:
    """True once every bundled file has been imported (two small queries)."""
    names = {Path(relative).name for kind, relative in BUNDLED_FILES if kind != "un-document"}
    sources = Source.objects.filter(name__in=names).values_list("name", flat=True).distinct()
    if set(sources) != names:
        return False
    return Document.objects.filter(symbol__in=BUNDLED_DOCUMENTS).count() == len(BUNDLED_DOCUMENTS)
