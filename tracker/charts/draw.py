"""Charts drawn on the server as SVG: what is drawn here, where it goes in
tracker/charts/layout.py, the markup in tracker/charts/svg.py (templates/tracker/charts/chart.html
places it).

No script runs in the browser, so charts work under a strict Content Security Policy and
print as they look. Every chart also has a text summary and a data table beside it. Each
chart is drawn twice from the same data, narrow for phones and wide for larger screens, so
that its text is legible on both; the page shows one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from tracker.charts.layout import (
    FONT_SIZE,
    NARROW,
    WIDE,
    Label,
    Layout,
    Plot,
    axes,
    date_labels,
    day_label,
)
from tracker.rules.thresholds import WEEKLY_GOAL_MINUTES


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    met: bool  # reached its target (drawn solid; hatched when not)


class Line(NamedTuple):
    """One line to draw: values in order, None where nothing was logged."""

    name: str
    css: str
    values: Sequence[float | None]
    marker: str = "circle"  # circle, square or diamond: shapes tell lines apart without colour


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    marker: str
    points: str  # SVG polyline points
    dots: tuple[tuple[float, float, str], ...]


@dataclass(frozen=True)
class Chart:
    plot: Plot
    grid: tuple[float, ...]  # y of each horizontal grid line
    y_labels: tuple[Label, ...]
    x_labels: tuple[Label, ...]  # dates
    series: tuple[Series, ...]
    bars: tuple[Bar, ...] = ()
    goal_y: float | None = None
    goal_label: Label | None = None

    @property
    def labels(self) -> tuple[Label, ...]:
        """Every text in the chart."""
        goal = (self.goal_label,) if self.goal_label else ()
        return (*self.y_labels, *self.x_labels, *goal)

    @property
    def width(self) -> int:
        return self.plot.layout.width

    @property
    def height(self) -> int:
        return self.plot.layout.height

    @property
    def variant(self) -> str:
        return self.plot.layout.name

    @property
    def font_size(self) -> int:
        return FONT_SIZE


@dataclass(frozen=True)
class Variants:
    """One chart drawn for phones and for larger screens; the page shows one of them."""

    narrow: Chart
    wide: Chart


def _series(plot: Plot, line: Line) -> Series:
    dots = tuple(
        (plot.x(i), plot.y(v), f"{v:g}") for i, v in enumerate(line.values) if v is not None
    )
    return Series(line.name, line.css, line.marker, " ".join(f"{x},{y}" for x, y, _ in dots), dots)


def minutes_chart(weeks: Sequence, *, goal: int, layout: Layout = WIDE) -> Chart:
    """Weekly minutes as bars, the plan's target as a line, the weekly goal as a dashed line."""
    top = max([goal, *(w.minutes for w in weeks), *(w.target_minutes for w in weeks)]) * 1.1
    plot, grid, y_labels = axes(layout, count=len(weeks), low=0, high=top)
    base, width = plot.y(0), round(plot.slot * 0.7, 1)

    def bar(i: int, w) -> Bar:
        y = plot.y(w.minutes)
        return Bar(
            x=round(plot.x(i) - plot.slot * 0.35, 1),
            y=y,
            width=width,
            height=round(base - y, 1),
            label=day_label(w.start),
            value=f"{w.minutes} min",
            met=bool(w.target_minutes) and w.minutes >= w.target_minutes,
        )

    bars = tuple(bar(i, w) for i, w in enumerate(weeks))
    targets = [w.target_minutes for w in weeks]
    target = Line("Prescribed minutes", "line-target", targets, marker="diamond")
    goal_y = plot.y(goal)
    # Above the line at its left end, where the early weeks of a recovery leave room. The
    # headroom of 10% above the highest value keeps it inside the frame.
    goal_label = Label(
        plot.left + 4,
        round(goal_y - 0.3 * FONT_SIZE, 1),
        f"{goal} min goal",
        anchor="start",
        css="goal-label",
        bold=True,
    )
    return Chart(
        plot=plot,
        grid=grid,
        y_labels=y_labels,
        x_labels=date_labels(plot, [w.start for w in weeks]),
        series=(_series(plot, target),),
        bars=bars,
        goal_y=goal_y,
        goal_label=goal_label,
    )


def line_chart(
    dates: Sequence[dt.date],
    lines: Sequence[Line],
    *,
    low: float,
    high: float,
    step: float = 1,
    unit: str = "",
    layout: Layout = WIDE,
) -> Chart:
    """Lines over time, their y labels at least `step` apart."""
    plot, grid, y_labels = axes(
        layout, count=len(dates), low=low, high=high, least_step=step, unit=unit
    )
    return Chart(
        plot=plot,
        grid=grid,
        y_labels=y_labels,
        x_labels=date_labels(plot, dates),
        series=tuple(_series(plot, line) for line in lines),
    )


def progress_charts(progress) -> dict[str, Variants]:
    """The charts of a progress page (a tracker.rules.progress.Progress), each in both
    variants."""
    weeks = progress.weeks
    dates = [w.start for w in weeks]
    adherence = [w.adherence if w.target_sessions else None for w in weeks[:-1]] + [None]
    draw = {
        "minutes": partial(minutes_chart, weeks, goal=WEEKLY_GOAL_MINUTES),
        "adherence": partial(
            line_chart,
            dates,
            [Line("Sessions done (% of plan)", "line-adherence", adherence)],
            low=0,
            high=100,
            step=25,
            unit="%",
        ),
        "effort_pain": partial(
            line_chart,
            dates,
            [
                Line("Average effort (6-20)", "line-effort", [w.effort for w in weeks]),
                Line(
                    "Average pain after (0-10)",
                    "line-pain",
                    [w.pain_after for w in weeks],
                    marker="square",
                ),
            ],
            low=0,
            high=20,
            step=5,
        ),
    }
    if progress.gap is not None and len(progress.gap.points) > 1:
        points = progress.gap.points
        draw["gap"] = partial(
            line_chart,
            [p[0] for p in points],
            [Line("Difference between sides (cm)", "line-gap", [float(p[3]) for p in points])],
            low=0,
            high=float(max(max(p[3] for p in points), 3)) * 1.2,
            unit=" cm",
        )
    return {
        name: Variants(narrow=d(layout=NARROW), wide=d(layout=WIDE)) for name, d in draw.items()
    }
