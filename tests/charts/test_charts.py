"""Chart geometry: what a reader relies on, checked without a browser.

Label boxes are the module's own generous estimates; tests/browser/test_chart_legibility.py
measures the real text in Chromium.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.charts.weeks import FIRST_MONDAY, week
from tracker.charts.draw import (
    Chart,
    Line,
    Variants,
    line_chart,
    minutes_chart,
    progress_charts,
)
from tracker.charts.layout import FONT_SIZE, NARROW, WIDE
from tracker.rules.progress import Week
from tracker.rules.thresholds import WEEKLY_GOAL_MINUTES

LAYOUTS = [NARROW, WIDE]


def weeks(count: int, **fields) -> list[Week]:
    return [week(i, **fields) for i in range(count)]


def dates(count: int) -> list[dt.date]:
    return [FIRST_MONDAY + dt.timedelta(weeks=i) for i in range(count)]


def date_labels(chart: Chart) -> list[str]:
    return [label.text for label in chart.x_labels]


def overlapping(chart: Chart) -> list[tuple[str, str]]:
    pairs = itertools.combinations(chart.labels, 2)
    return [
        (a.text, b.text)
        for a, b in pairs
        if a.box[0] < b.box[2]
        and b.box[0] < a.box[2]
        and a.box[1] < b.box[3]
        and b.box[1] < a.box[3]
    ]


def outside(chart: Chart) -> list[str]:
    """Everything drawn that reaches past the viewBox: labels, bars, markers, lines."""

    def out(left, top, right, bottom):
        return left < 0 or top < 0 or right > chart.width or bottom > chart.height

    found = [f"label {label.text}" for label in chart.labels if out(*label.box)]
    found += [f"bar {b.label}" for b in chart.bars if out(b.x, b.y, b.x + b.width, b.y + b.height)]
    found += [
        f"marker {s.name} {value}"
        for s in chart.series
        for x, y, value in s.dots
        if out(x - 6, y - 6, x + 6, y + 6)
    ]
    lines = [*chart.grid, *([chart.goal_y] if chart.goal_y is not None else [])]
    found += [f"line at {y}" for y in lines if out(chart.plot.left, y, chart.plot.right, y)]
    return found


# Both variants ------------------------------------------------------------------------


def test_progress_charts_draws_each_chart_narrow_and_wide():
    progress = SimpleNamespace(weeks=weeks(12, effort=12.0, pain_after=2.0), gap=None)

    charts = progress_charts(progress)

    assert list(charts) == ["minutes", "adherence", "effort_pain"]
    assert all(isinstance(c, Variants) for c in charts.values())
    assert {(c.narrow.variant, c.narrow.width) for c in charts.values()} == {("narrow", 300)}
    assert {(c.wide.variant, c.wide.width) for c in charts.values()} == {("wide", 640)}


def test_progress_charts_draws_the_limb_gap_from_two_measurements():
    points = [
        (dt.date(2026, 1, 5), 31, 35, 4),
        (dt.date(2026, 2, 2), 33, 35, 2),
    ]
    progress = SimpleNamespace(weeks=weeks(4), gap=SimpleNamespace(points=points))

    gap = progress_charts(progress)["gap"]

    assert gap.narrow.y_labels[-1].text == "4 cm"
    assert [value for _, _, value in gap.narrow.series[0].dots] == ["4", "2"]


def test_both_variants_show_the_same_values():
    progress = SimpleNamespace(weeks=weeks(12, effort=11.5, pain_after=3.0), gap=None)

    for chart in progress_charts(progress).values():
        assert [b.value for b in chart.narrow.bars] == [b.value for b in chart.wide.bars]
        narrow = [[v for _, _, v in s.dots] for s in chart.narrow.series]
        wide = [[v for _, _, v in s.dots] for s in chart.wide.series]
        assert narrow == wide


# Text that can be read ------------------------------------------------------------------


def test_narrow_variant_has_at_most_four_date_labels_however_many_weeks():
    counts = {
        count: len(
            date_labels(minutes_chart(weeks(count), goal=WEEKLY_GOAL_MINUTES, layout=NARROW))
        )
        for count in range(1, 105)
    }

    assert (min(counts.values()), max(counts.values())) == (1, 4)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_wide_variant_labels_every_week_of_a_short_range(count):
    chart = minutes_chart(weeks(count), goal=WEEKLY_GOAL_MINUTES, layout=WIDE)

    assert len(date_labels(chart)) == count


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_labels_do_not_overlap_and_stay_inside_the_frame_for_up_to_two_years(layout):
    problems = {}
    for count in range(1, 105):
        minutes = minutes_chart(weeks(count), goal=WEEKLY_GOAL_MINUTES, layout=layout)
        adherence = line_chart(
            dates(count), [Line("Done", "line-adherence", [50] * count)],
            low=0, high=100, step=25, unit="%", layout=layout,
        )  # fmt: skip
        for chart in (minutes, adherence):
            if found := overlapping(chart) + outside(chart):
                problems[count] = found

    assert problems == {}


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
@pytest.mark.parametrize("count", [1, 4, 12, 13, 40])
def test_latest_week_is_always_labelled(layout, count):
    chart = minutes_chart(weeks(count), goal=WEEKLY_GOAL_MINUTES, layout=layout)

    assert date_labels(chart)[-1] == f"{dates(count)[-1]:%-d %b}"


def test_y_labels_are_round_and_at_least_one_and_a_half_lines_apart():
    chart = minutes_chart(
        [week(0, minutes=400, target=200)], goal=WEEKLY_GOAL_MINUTES, layout=NARROW
    )

    gaps = [a.y - b.y for a, b in itertools.pairwise(chart.y_labels)]
    assert [label.text for label in chart.y_labels] == ["0", "100", "200", "300", "400"]
    assert min(gaps) >= 1.5 * FONT_SIZE


def test_text_is_drawn_at_the_body_text_size():
    chart = minutes_chart(weeks(4), goal=WEEKLY_GOAL_MINUTES, layout=NARROW)

    assert chart.font_size == 17


# Values where they belong ------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_bar_heights_are_proportional_to_minutes(layout):
    chart = minutes_chart(
        [week(0, minutes=0), week(1, minutes=75), week(2, minutes=150), week(3, minutes=300)],
        goal=WEEKLY_GOAL_MINUTES,
        layout=layout,
    )

    plot_height = chart.plot.bottom - chart.plot.top
    top = 300 * 1.1  # the highest value and a tenth more headroom
    expected = [minutes / top * plot_height for minutes in (0, 75, 150, 300)]
    assert [b.height for b in chart.bars] == pytest.approx(expected, abs=0.1)
    assert chart.bars[2].y == chart.goal_y
    assert {b.y + b.height for b in chart.bars} == {chart.plot.bottom}


def test_bars_are_solid_only_when_the_target_was_met():
    chart = minutes_chart(
        [week(0, minutes=89, target=90), week(1, minutes=90), week(2, minutes=30, target=0)],
        goal=WEEKLY_GOAL_MINUTES,
    )

    assert [b.met for b in chart.bars] == [False, True, False]


def test_goal_line_is_labelled_above_itself_inside_the_plot():
    chart = minutes_chart(weeks(6), goal=WEEKLY_GOAL_MINUTES, layout=NARROW)

    goal = chart.goal_label
    assert goal.text == "150 min goal"
    assert goal.y < chart.goal_y
    assert chart.plot.left <= goal.box[0] and goal.box[2] <= chart.plot.right


def test_target_is_a_line_of_diamonds_through_each_week():
    chart = minutes_chart([week(0, target=60), week(1, target=66)], goal=WEEKLY_GOAL_MINUTES)

    [target] = chart.series
    assert (target.css, target.marker) == ("line-target", "diamond")
    assert [value for _, _, value in target.dots] == ["60", "66"]
    bar_middles = [b.x + b.width / 2 for b in chart.bars]
    assert [x for x, _, _ in target.dots] == pytest.approx(bar_middles, abs=0.1)


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.name)
def test_line_values_map_to_heights_and_gaps_stay_gaps(layout):
    chart = line_chart(
        dates(3),
        [Line("Effort", "line-effort", [20, None, 10]), Line("Pain", "line-pain", [0, 5, None])],
        low=0,
        high=20,
        step=5,
        layout=layout,
    )

    effort, pain = chart.series
    middle = (chart.plot.top + chart.plot.bottom) / 2
    assert [y for _, y, _ in effort.dots] == [chart.plot.top, pytest.approx(middle, abs=0.1)]
    assert [y for _, y, _ in pain.dots] == [chart.plot.bottom, pytest.approx(
        chart.plot.bottom - (chart.plot.bottom - chart.plot.top) / 4, abs=0.1
    )]  # fmt: skip
    assert len(effort.points.split()) == 2


@given(
    data=st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 400)), min_size=1, max_size=80),
    layout=st.sampled_from(LAYOUTS),
)
def test_any_weeks_are_drawn_inside_the_frame_without_overlapping_text(data, layout):
    chart = minutes_chart(
        [week(i, minutes=m, target=t) for i, (m, t) in enumerate(data)],
        goal=WEEKLY_GOAL_MINUTES,
        layout=layout,
    )

    assert outside(chart) == []
    assert overlapping(chart) == []
    assert len(chart.grid) <= 7
