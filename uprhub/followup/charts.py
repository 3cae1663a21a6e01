"""Server-rendered SVG charts of a scorecard: no script, no dependency, readable without colour.

Each chart is an ``<svg role="img" aria-labelledby="…">`` whose ``<title>`` and ``<desc>``
name it and say its figures in words; every bar carries its number as text; every bucket has
a pattern as well as a colour (stripes, cross-hatching, dots…) and a legend, so colour is never
the only cue. The page puts the same figures in an HTML table right after each chart: the table
is the accessible source of truth, the chart a picture of it.

Only attributes, never ``style``: the site's Content-Security-Policy allows no inline style.
The same markup is served as a download (``standalone=True`` adds the XML declaration).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .scorecard import BUCKETS, Breakdown, GradeCount, bucket_label

#: (colour, pattern) per bucket; the colours are the shipped scales' and pass 4.5:1 on white
#: for the white numbers drawn on them.
STYLE = {
    "implemented": ("#1a7f37", ""),
    "partial": ("#9a6700", "stripes"),
    "not_implemented": ("#bc4c00", "crosshatch"),
    "contrary": ("#cf222e", "checks"),
    "no_information": ("#57606a", "dots"),
    "not_assessed": ("#f6f8fa", "outline"),
}

WIDTH = 720
LABEL_WIDTH = 230
TOTAL_WIDTH = 60
BAR_WIDTH = WIDTH - LABEL_WIDTH - TOTAL_WIDTH - 10
ROW = 28
LEGEND_ROW = 24
MAX_LABEL = 30


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int


def _short(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _patterns(chart_id: str) -> str:
    """One ``<pattern>`` per bucket: the texture drawn over its colour."""
    parts = []
    for bucket in BUCKETS:
        colour, kind = STYLE[bucket]
        pid = f"{chart_id}-{bucket}"
        body = f'<rect width="8" height="8" fill="{colour}"/>'
        if kind == "stripes":
            body += (
                '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#fff" stroke-width="1.5"/>'
            )
        elif kind == "crosshatch":
            body += '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#fff" stroke-width="1"/>'
        elif kind == "checks":
            body += '<rect width="4" height="4" fill="#fff" fill-opacity="0.45"/>'
            body += '<rect x="4" y="4" width="4" height="4" fill="#fff" fill-opacity="0.45"/>'
        elif kind == "dots":
            body += '<circle cx="4" cy="4" r="1.6" fill="#fff"/>'
        parts.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f"{body}</pattern>"
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _fill(chart_id: str, bucket: str) -> str:
    return f"url(#{chart_id}-{bucket})"


def _open(chart_id: str, title: str, desc: str, height: int, standalone: bool) -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else ""
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" class="scorecard-chart" '
        f'id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + _patterns(chart_id)
        + f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>'
    )


def _legend(chart_id: str, buckets: Sequence[str], y: int) -> tuple[str, int]:
    """Swatches with their names, wrapped over lines; returns the markup and the height used."""
    parts, x, top = [], 0, y
    for bucket in buckets:
        label = bucket_label(bucket)
        width = 40 + 8 * len(label)  # room for wide letters and a gap before the next swatch
        if x and x + width > WIDTH:
            x, y = 0, y + LEGEND_ROW
        parts.append(
            f'<rect x="{x}" y="{y}" width="16" height="16" fill="{_fill(chart_id, bucket)}" '
            f'stroke="#24292f" stroke-width="1"/>'
            f'<text x="{x + 22}" y="{y + 13}" fill="#24292f">{escape(label)}</text>'
        )
        x += width
    return '<g aria-hidden="true">' + "".join(parts) + "</g>", y - top + LEGEND_ROW + 6


def _segment_text(x: float, width: float, y: int, count: int, bucket: str) -> str:
    """The number on its segment (white on the colour, dark on the light "not assessed");
    left out when the segment is too narrow, the total and the table still say it."""
    if width < 8 * len(str(count)) + 6:
        return ""
    colour = "#24292f" if bucket == "not_assessed" else "#fff"
    plate = (
        ""
        if bucket == "not_assessed"
        else f'<rect x="{x + width / 2 - 4 * len(str(count)) - 3:.1f}" y="{y + 5}" '
        f'width="{8 * len(str(count)) + 6}" height="16" rx="3" fill="#24292f" fill-opacity="0.55"/>'
    )
    return (
        plate + f'<text x="{x + width / 2:.1f}" y="{y + 18}" text-anchor="middle" '
        f'fill="{colour}" font-weight="bold">{count}</text>'
    )


def stacked_bars(
    chart_id: str, title: str, lines: Sequence[Breakdown], *, standalone: bool = False
) -> SafeString:
    """One horizontal bar per line (a theme, a response), split by bucket, as wide as its
    share of that line (every bar is a whole: 100 % of the line's recommendations)."""
    buckets = [b for b in BUCKETS if any(line.counts[b] for line in lines)] or list(BUCKETS)
    words = "; ".join(
        f"{line.label}: "
        + ", ".join(f"{bucket_label(b)} {line.counts[b]}" for b in buckets if line.counts[b])
        for line in lines
    )
    desc = _("Recommendations by implementation, in figures: %(figures)s.") % {"figures": words}
    legend, legend_height = _legend(chart_id, buckets, 4)
    height = legend_height + ROW * max(len(lines), 1) + 10
    parts = [_open(chart_id, title, desc, height, standalone), legend]
    y = legend_height
    for line in lines:
        parts.append(
            f"<g><title>{escape(line.label)}: {line.total}</title>"
            f'<text x="0" y="{y + 18}" fill="#24292f">{escape(_short(line.label))}</text>'
        )
        x = float(LABEL_WIDTH)
        total = line.total
        for bucket in buckets:
            count = line.counts[bucket]
            if not count:
                continue
            width = BAR_WIDTH * count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 6}" '
                f'fill="{_fill(chart_id, bucket)}" stroke="#24292f" stroke-width="0.75">'
                f"<title>{escape(line.label)}, {escape(bucket_label(bucket))}: {count}"
                "</title></rect>" + _segment_text(x, width, y, count, bucket)
            )
            x += width
        parts.append(
            f'<text x="{WIDTH - 4}" y="{y + 18}" text-anchor="end" fill="#24292f">'
            f"{total}</text></g>"
        )
        y += ROW
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape)


def grade_bars(
    chart_id: str,
    title: str,
    grades: Sequence[GradeCount],
    not_assessed: int,
    *,
    standalone: bool = False,
) -> SafeString:
    """A bar per grade of the round's scale (and one for "not yet assessed"), its length the
    number of recommendations, the number written after it."""
    bars = [(f"{g.code} – {g.label}", g.bucket, g.count) for g in grades]
    bars.append((bucket_label("not_assessed"), "not_assessed", not_assessed))
    words = "; ".join(f"{label}: {count}" for label, _bucket, count in bars)
    desc = _("Recommendations by grade: %(figures)s.") % {"figures": words}
    height = ROW * len(bars) + 10
    top = max((count for _l, _b, count in bars), default=0) or 1
    parts = [_open(chart_id, title, desc, height, standalone)]
    for n, (label, bucket, count) in enumerate(bars):
        y = n * ROW + 4
        width = BAR_WIDTH * count / top
        parts.append(
            f'<g><text x="0" y="{y + 18}" fill="#24292f">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(width, 1):.1f}" height="{ROW - 6}" '
            f'fill="{_fill(chart_id, bucket)}" stroke="#24292f" stroke-width="0.75"/>'
            f'<text x="{LABEL_WIDTH + max(width, 1) + 6:.1f}" y="{y + 18}" fill="#24292f">'
            f"{count}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above went through escape)


def bucket_table(lines: Sequence[Breakdown], caption: str, column: str) -> SafeString:
    """The figures of a stacked-bar chart as a table: a row per line, a column per bucket.

    Written here rather than in a template: a table of 120 recommending States is ~1,000
    cells, several times faster to build as one string than through template loops."""
    head = format_html_join("", '<th scope="col">{}</th>', ((bucket_label(b),) for b in BUCKETS))
    body = format_html_join(
        "\n",
        '<tr><th scope="row">{}</th>{}<td class="num">{}</td></tr>',
        (
            (
                line.label,
                mark_safe("".join(f'<td class="num">{line.counts[b]}</td>' for b in BUCKETS)),  # noqa: S308  (numbers)
                line.total,
            )
            for line in lines
        ),
    )
    return format_html(
        '<div class="table-scroll"><table class="scorecard-table"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}<th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table></div>",
        caption,
        column,
        head,
        _("Total"),
        body,
    )


#: The charts a scorecard offers (page and downloads): name → what it shows.
CHARTS = ("grades", "themes", "responses")


def chart(name: str, card, *, standalone: bool = False, prefix: str = "chart") -> SafeString:
    """The chart ``name`` of a scorecard (one of `CHARTS`)."""
    chart_id = f"{prefix}-{name}"
    if name == "grades":
        return grade_bars(
            chart_id,
            _("Recommendations by grade (%(scale)s)") % {"scale": card.round.scale.name},
            card.grades,
            card.not_assessed,
            standalone=standalone,
        )
    if name == "themes":
        return stacked_bars(
            chart_id,
            _("Implementation by theme"),
            card.by_theme,
            standalone=standalone,
        )
    if name == "responses":
        return stacked_bars(
            chart_id,
            _("Implementation by the State's response"),
            card.by_response,
            standalone=standalone,
        )
    raise KeyError(name)
