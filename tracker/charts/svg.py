"""A chart's SVG markup, built in Python once per variant.

A template loop over every bar, marker and label cost more than the rest of the progress page
together (a template variable is looked up, localized and escaped one at a time); a chart of two
years has hundreds of them in each variant. What is drawn and where is decided in draw.py and
layout.py; this only writes it out, element for element as templates/tracker/charts/ used to.

Numbers are written with str(), never localized: they are coordinates. Every text is escaped.
Styling is by class only (app.css), as the Content Security Policy allows no inline style.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from tracker.charts.draw import Chart, Series


def chart_svg(chart: Chart, *, chart_id: str, title: str) -> SafeString:
    """One variant of a chart, labelled by its title and by the summary the caller adds
    (id "<chart_id>-summary")."""
    chart_id, svg_id = escape(chart_id), escape(f"{chart_id}-{chart.variant}")
    variant = escape(chart.variant)
    plot = chart.plot
    parts = [
        f'<svg class="chart chart-{variant}" viewBox="0 0 {chart.width} {chart.height}"'
        f' font-size="{chart.font_size}" role="img"'
        f' aria-labelledby="{svg_id}-title {chart_id}-summary"'
        ' preserveAspectRatio="xMidYMid meet">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
    ]
    if chart.bars:
        parts.append(
            f'<defs><pattern id="{svg_id}-hatch" patternUnits="userSpaceOnUse" width="8"'
            ' height="8" patternTransform="rotate(45)"><rect class="hatch-ground" width="8"'
            ' height="8"/><line class="hatch-line" x1="2" y1="0" x2="2" y2="8"/></pattern></defs>'
        )
    left, right = plot.left, plot.right
    parts.extend(
        f'<line class="grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}"/>' for y in chart.grid
    )
    hatch = f' fill="url(#{svg_id}-hatch)"'
    parts.extend(
        f'<rect class="bar bar-{"met" if bar.met else "short"}"{"" if bar.met else hatch}'
        f' x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}">'
        f"<title>{escape(bar.label)}: {escape(bar.value)}</title></rect>"
        for bar in chart.bars
    )
    if chart.goal_y is not None:
        parts.append(
            f'<line class="goal" x1="{left}" x2="{right}" y1="{chart.goal_y}" y2="{chart.goal_y}"/>'
        )
    for series in chart.series:
        parts.extend(_series(series))
    bold = ' font-weight="bold"'
    parts.extend(
        f'<text class="{escape(label.css)}" x="{label.x}" y="{label.y}"'
        f' text-anchor="{escape(label.anchor)}"{bold if label.bold else ""}>'
        f"{escape(label.text)}</text>"
        for label in chart.labels
    )
    parts.append("</svg>")
    return mark_safe("\n".join(parts))


def _series(series: Series) -> list[str]:
    """A series' line and a marker at each value, each marker with its value as its title."""
    css, name = escape(series.css), escape(series.name)
    shape = {
        "square": ('<path class="dot {css}" d="M{x} {y} m-4.5 -4.5 h9 v9 h-9 z">', "</path>"),
        "diamond": ('<path class="dot {css}" d="M{x} {y} m0 -6 l6 6 l-6 6 l-6 -6 z">', "</path>"),
    }.get(series.marker, ('<circle class="dot {css}" cx="{x}" cy="{y}" r="4">', "</circle>"))
    start, end = shape
    return [
        f'<polyline class="series {css}" points="{series.points}" fill="none"/>',
        *(
            start.format(css=css, x=x, y=y) + f"<title>{name}: {escape(value)}</title>{end}"
            for x, y, value in series.dots
        ),
    ]
