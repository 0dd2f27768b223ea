"""A chart's SVG markup (tracker/charts/svg.py), built in Python once per variant: every bar,
marker and label written out, texts escaped, numbers never localized.

How it looks in a browser is tests/browser/test_chart_legibility.py's to check.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tests.charts.weeks import FIRST_MONDAY, week
from tracker.charts.draw import Line, Variants, line_chart, minutes_chart
from tracker.charts.layout import (
    LABEL_GAP,
    NARROW,
    WIDE,
    X_LABEL_DROP,
    Label,
    Plot,
    date_labels,
    day_label,
    text_width,
)
from tracker.charts.svg import chart_svg
from tracker.rules.thresholds import WEEKLY_GOAL_MINUTES


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_chart_svg_writes_a_one_week_chart_element_for_element():
    chart = minutes_chart([week(0, 160, 150)], goal=WEEKLY_GOAL_MINUTES, layout=NARROW)

    svg = chart_svg(chart, chart_id="minutes", title="Minutes each week")

    # As templates/tracker/charts/svg.html drew it, less the indentation.
    assert svg.split("\n") == [
        '<svg class="chart chart-narrow" viewBox="0 0 300 240" font-size="17" role="img"'
        ' aria-labelledby="minutes-narrow-title minutes-summary"'
        ' preserveAspectRatio="xMidYMid meet">',
        '<title id="minutes-narrow-title">Minutes each week</title>',
        '<defs><pattern id="minutes-narrow-hatch" patternUnits="userSpaceOnUse" width="8"'
        ' height="8" patternTransform="rotate(45)"><rect class="hatch-ground" width="8"'
        ' height="8"/><line class="hatch-line" x1="2" y1="0" x2="2" y2="8"/></pattern></defs>',
        '<line class="grid" x1="46" x2="286" y1="202.0" y2="202.0"/>',
        '<line class="grid" x1="46" x2="286" y1="148.0" y2="148.0"/>',
        '<line class="grid" x1="46" x2="286" y1="94.0" y2="94.0"/>',
        '<line class="grid" x1="46" x2="286" y1="40.1" y2="40.1"/>',
        '<rect class="bar bar-met" x="82.0" y="29.3" width="168.0" height="172.7">'
        "<title>5 Jan: 160 min</title></rect>",
        '<line class="goal" x1="46" x2="286" y1="40.1" y2="40.1"/>',
        '<polyline class="series line-target" points="166.0,40.1" fill="none"/>',
        '<path class="dot line-target" d="M166.0 40.1 m0 -6 l6 6 l-6 6 l-6 -6 z">'
        "<title>Prescribed minutes: 150</title></path>",
        '<text class="tick" x="38" y="207.9" text-anchor="end">0</text>',
        '<text class="tick" x="38" y="153.9" text-anchor="end">50</text>',
        '<text class="tick" x="38" y="100.0" text-anchor="end">100</text>',
        '<text class="tick" x="38" y="46.0" text-anchor="end">150</text>',
        '<text class="tick" x="166.0" y="232" text-anchor="middle">5 Jan</text>',
        '<text class="goal-label" x="50" y="35.0" text-anchor="start" font-weight="bold">'
        "150 min goal</text>",
        "</svg>",
    ]  # fmt: skip


def test_chart_svg_draws_every_bar_marker_and_label():
    weeks = [week(i, minutes=30 * i, target=60) for i in range(20)]
    chart = minutes_chart(weeks, goal=WEEKLY_GOAL_MINUTES, layout=WIDE)

    svg = parse(chart_svg(chart, chart_id="minutes", title="Minutes"))

    bars = svg.findall("rect")
    assert [bar.find("title").text for bar in bars] == [f"{b.label}: {b.value}" for b in chart.bars]
    assert [bar.get("class") for bar in bars] == [
        "bar bar-met" if b.met else "bar bar-short" for b in chart.bars
    ]
    hatched = {bar.get("fill") for bar in bars if bar.get("class") == "bar bar-short"}
    assert hatched == {"url(#minutes-wide-hatch)"}
    assert svg.find("defs/pattern").get("id") == "minutes-wide-hatch"
    markers = svg.findall("path")
    assert [m.find("title").text for m in markers] == [f"Prescribed minutes: {60}"] * 20
    assert [t.text for t in svg.findall("text")] == [label.text for label in chart.labels]
    assert len(svg.findall("line")) == len(chart.grid) + 1  # and the goal


def test_chart_svg_draws_each_marker_shape_and_leaves_gaps_as_gaps():
    chart = line_chart(
        [FIRST_MONDAY + dt.timedelta(weeks=i) for i in range(3)],
        [
            Line("Effort", "line-effort", [12.5, None, 14]),
            Line("Pain", "line-pain", [2, 3, None], marker="square"),
        ],
        low=0,
        high=20,
        step=5,
    )

    svg = parse(chart_svg(chart, chart_id="effort", title="Effort and pain"))

    circles = svg.findall("circle")
    squares = svg.findall("path")
    assert [c.find("title").text for c in circles] == ["Effort: 12.5", "Effort: 14"]
    assert [s.find("title").text for s in squares] == ["Pain: 2", "Pain: 3"]
    assert {c.get("class") for c in circles} == {"dot line-effort"}
    assert [p.get("points").count(",") for p in svg.findall("polyline")] == [2, 2]
    assert svg.find("defs") is None  # no bars, no hatching


def test_chart_svg_escapes_every_text():
    chart = line_chart(
        [FIRST_MONDAY], [Line('<b>"x" & y</b>', "line-gap", [1.0])], low=0, high=3, unit=" cm"
    )

    svg = chart_svg(chart, chart_id="gap", title="A < B & 'C'")

    assert "<b>" not in svg
    assert '<title id="gap-wide-title">A &lt; B &amp; &#x27;C&#x27;</title>' in svg
    assert "<title>&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;: 1</title>" in svg
    parse(svg)  # well formed


@override_settings(USE_THOUSAND_SEPARATOR=True)
def test_chart_numbers_are_written_unlocalized_in_any_language():
    weeks = [week(i, minutes=1234 + i, target=1500) for i in range(3)]
    variants = Variants(
        narrow=minutes_chart(weeks, goal=WEEKLY_GOAL_MINUTES, layout=NARROW),
        wide=minutes_chart(weeks, goal=WEEKLY_GOAL_MINUTES, layout=WIDE),
    )

    with translation.override("de"):
        html = render_to_string(
            "tracker/charts/chart.html", {"chart": variants, "chart_id": "m", "title": "T"}
        )

    for bar in (*variants.narrow.bars, *variants.wide.bars):
        assert f'x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}"' in html
    assert "<title>5 Jan: 1234 min</title>" in html  # as the table writes it, ungrouped


def test_chart_template_shows_both_variants_built_once_and_the_legend():
    weeks = [week(i, minutes=100, target=90) for i in range(12)]
    variants = Variants(
        narrow=minutes_chart(weeks, goal=WEEKLY_GOAL_MINUTES, layout=NARROW),
        wide=minutes_chart(weeks, goal=WEEKLY_GOAL_MINUTES, layout=WIDE),
    )
    title = "Minutes each week against the plan and the 150-minute goal"

    html = render_to_string(
        "tracker/charts/chart.html", {"chart": variants, "chart_id": "minutes", "title": title}
    )

    narrow = chart_svg(variants.narrow, chart_id="minutes", title=title)
    wide = chart_svg(variants.wide, chart_id="minutes", title=title)
    assert html.count("<svg ") == 2
    assert html.index(narrow) < html.index(wide)
    legend = parse(html[html.index('<ul class="legend">') : html.index("</ul>") + 5])
    assert ["".join(li.itertext()).strip() for li in legend] == [
        "Minutes done: target met",
        "Minutes done: target not met",
        "Prescribed minutes",
        "150 min goal",
    ]


# The date labels: spacings that cannot fit are not tried -------------------------------


def test_day_label_writes_the_day_without_a_leading_zero_and_the_short_month():
    assert [day_label(dt.date(2026, m, d)) for m, d in [(1, 5), (11, 30)]] == ["5 Jan", "30 Nov"]


def every_spacing_tried(plot: Plot, dates: list[dt.date]) -> list[Label]:
    """The date labels found by trying every spacing from one slot up, none skipped."""
    texts = [f"{day:%-d %b}" for day in dates]

    def label(i: int) -> Label:
        half = text_width(texts[i]) / 2
        x = round(min(max(plot.x(i), half + 1), plot.layout.width - half - 1), 1)
        return Label(x, plot.bottom + X_LABEL_DROP, texts[i])

    for every in range(1, len(dates) + 1):
        labels = [label(i) for i in range(len(dates) - 1, -1, -every)]
        if all(right.box[0] - left.box[2] >= LABEL_GAP for right, left in pairwise(labels)):
            return list(reversed(labels))
    return []


@pytest.mark.parametrize("layout", [NARROW, WIDE], ids=lambda layout: layout.name)
@pytest.mark.parametrize("left", [46, 63])
def test_date_labels_are_those_trying_every_spacing_in_turn_gives(layout, left):
    for count in range(0, 120):
        dates = [FIRST_MONDAY + dt.timedelta(weeks=i) for i in range(count)]
        plot = Plot(layout, left=left, count=count, low=0, high=1)

        assert list(date_labels(plot, dates)) == every_spacing_tried(plot, dates), count


@given(
    days=st.lists(st.integers(0, 730), min_size=0, max_size=40, unique=True),
    layout=st.sampled_from([NARROW, WIDE]),
    left=st.integers(46, 90),
)
def test_date_labels_of_any_dates_are_those_trying_every_spacing_gives(days, layout, left):
    dates = [FIRST_MONDAY + dt.timedelta(days=d) for d in sorted(days)]
    plot = Plot(layout, left=left, count=len(dates), low=0, high=1)

    assert list(date_labels(plot, dates)) == every_spacing_tried(plot, dates)
