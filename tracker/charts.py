"""Charts drawn on the server as SVG: geometry here, drawing in templates/tracker/charts/.

No script runs in the browser, so charts work under a strict Content Security Policy and
print as they look. Every chart also has a text summary and a data table beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 480, 270
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 16, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    met: bool  # reached its target (drawn solid; hatched when not)


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    points: str  # SVG polyline points
    dots: tuple[tuple[float, float, str], ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    series: tuple[Series, ...]
    ticks: tuple[Tick, ...]
    x_labels: tuple[tuple[float, str], ...]
    goal_y: float | None
    goal_label: str
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM


def _scale(top: float, *, low: float = 0.0):
    span = (top - low) or 1.0
    plot_height = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - (value - low) / span * plot_height, 1)

    return y


def _ticks(top: float, y, *, step: float, low: float = 0.0, unit: str = "") -> tuple[Tick, ...]:
    ticks, value = [], low
    while value <= top + 1e-9:
        ticks.append(Tick(y(value), f"{value:g}{unit}"))
        value += step
    return tuple(ticks)


def _nice_step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if top / step <= 6:
            return step
    return top / 5


def _x_positions(count: int) -> list[float]:
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(count, 1)
    return [LEFT + slot * i + slot / 2 for i in range(count)]


def _week_label(day: dt.date, index: int, count: int) -> str:
    every = 1 if count <= 4 else 3 if count <= 13 else max(1, count // 4)
    return f"{day:%-d %b}" if index % every == 0 else ""


def minutes_chart(weeks: Sequence, *, goal: int) -> Chart:
    """Weekly minutes as bars, the plan's target as a line, the weekly goal as a dashed line."""
    top = max([goal, *(w.minutes for w in weeks), *(w.target_minutes for w in weeks)]) * 1.1
    y = _scale(top)
    xs = _x_positions(len(weeks))
    slot = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    bars = tuple(
        Bar(
            x=round(x - slot * 0.35, 1),
            y=y(w.minutes),
            width=round(slot * 0.7, 1),
            height=round(y(0) - y(w.minutes), 1),
            label=f"{w.start:%-d %b}",
            value=f"{w.minutes} min",
            met=bool(w.target_minutes) and w.minutes >= w.target_minutes,
        )
        for x, w in zip(xs, weeks, strict=True)
    )
    targets = [
        (x, y(w.target_minutes), f"{w.target_minutes}") for x, w in zip(xs, weeks, strict=True)
    ]
    series = (
        Series(
            "Prescribed minutes",
            "line-target",
            " ".join(f"{x:.1f},{ty}" for x, ty, _ in targets),
            tuple(targets),
        ),
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        series=series,
        ticks=_ticks(top, y, step=_nice_step(top)),
        x_labels=tuple(
            (x, _week_label(w.start, i, len(weeks)))
            for i, (x, w) in enumerate(zip(xs, weeks, strict=True))
        ),
        goal_y=y(goal),
        goal_label=f"{goal} min goal",
    )


def line_chart(
    dates: Sequence[dt.date],
    lines: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    low: float,
    high: float,
    step: float,
    unit: str = "",
) -> Chart:
    """Lines over time. `lines` are (name, css class, values), None where nothing was logged."""
    y = _scale(high, low=low)
    xs = _x_positions(len(dates))
    series = []
    for name, css, values in lines:
        known = [(x, v) for x, v in zip(xs, values, strict=True) if v is not None]
        series.append(
            Series(
                name,
                css,
                " ".join(f"{x:.1f},{y(v)}" for x, v in known),
                tuple((round(x, 1), y(v), f"{v:g}") for x, v in known),
            )
        )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=(),
        series=tuple(series),
        ticks=_ticks(high, y, step=step, low=low, unit=unit),
        x_labels=tuple(
            (x, _week_label(d, i, len(dates)))
            for i, (x, d) in enumerate(zip(xs, dates, strict=True))
        ),
        goal_y=None,
        goal_label="",
    )


def progress_charts(progress) -> dict[str, Chart]:
    """The charts of a progress page, from tracker.progress.Progress."""
    weeks = progress.weeks
    dates = [w.start for w in weeks]
    charts = {
        "minutes": minutes_chart(weeks, goal=150),
        "adherence": line_chart(
            dates,
            [
                (
                    "Sessions done (% of plan)",
                    "line-adherence",
                    [w.adherence if w.target_sessions else None for w in weeks[:-1]] + [None],
                )
            ],
            low=0,
            high=100,
            step=25,
            unit="%",
        ),
        "effort_pain": line_chart(
            dates,
            [
                ("Average effort (6-20)", "line-effort", [w.effort for w in weeks]),
                ("Average pain after (0-10)", "line-pain", [w.pain_after for w in weeks]),
            ],
            low=0,
            high=20,
            step=5,
        ),
    }
    if progress.gap is not None and len(progress.gap.points) > 1:
        points = progress.gap.points
        top = float(max(max(p[3] for p in points), 3)) * 1.2
        charts["gap"] = line_chart(
            [p[0] for p in points],
            [("Difference between sides (cm)", "line-gap", [float(p[3]) for p in points])],
            low=0,
            high=top,
            step=_nice_step(top),
            unit=" cm",
        )
    return charts
