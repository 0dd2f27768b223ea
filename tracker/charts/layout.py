"""Where things go in a chart's frame, and how much room its text takes, in SVG user units.

An SVG scales with its box, text and all, so one drawing cannot be legible both on a phone
and on a desktop. Each chart is drawn in two frames, NARROW for phones and WIDE for larger
screens; the stylesheet shows the one that fits its box at about 0.95 (a 320 px phone) to
1.25 CSS pixels per user unit, so text of FONT_SIZE units shows at 16 to 21 CSS pixels. What
is drawn in a frame is decided in tracker/charts/draw.py.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import pairwise

FONT_SIZE = 17  # user units: the body text size, for patients with blurred vision

# How far a label reaches above and below its baseline, and how wide its characters are, as
# shares of the font size: generous (DejaVu Sans, among the widest sans-serif fonts, measures
# 0.93, 0.24 and 0.64 for a digit), so labels kept apart here stay apart in any common font.
ASCENT, DESCENT = 1.0, 0.3
WIDE_CHARS, THIN_CHARS = frozenset("%mwMW"), frozenset(" .,:;-'")
LABEL_GAP = 0.75 * FONT_SIZE  # the least space between two labels side by side
TICK_GAP = 8  # between a y label and the plot
X_LABEL_DROP = round(1.75 * FONT_SIZE)  # from the plot's bottom to the date labels' baseline


@cache  # the same few dates and numbers, measured for every chart of every page
def text_width(text: str, *, bold: bool = False) -> float:
    """A generous estimate of how wide `text` is drawn, in user units."""
    ems = sum(0.95 if c in WIDE_CHARS else 0.36 if c in THIN_CHARS else 0.68 for c in text)
    return ems * FONT_SIZE * (1.1 if bold else 1.0)


@cache  # strftime is slow, and every chart of a page labels the same Mondays
def day_label(day: dt.date) -> str:
    """A date as the charts write it: '5 Jan'."""
    return f"{day:%-d %b}"


@dataclass(frozen=True)
class Layout:
    """The frame of one variant, in user units. The least left margin keeps the plots of
    charts stacked on a page in line; a wider y label pushes it further."""

    name: str  # also the CSS class that decides when the variant shows
    width: int
    height: int
    top: int = 12
    right: int = 14
    bottom: int = 38
    least_left: int = 46


NARROW = Layout("narrow", 300, 240)
WIDE = Layout("wide", 640, 320, right=16)


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the baseline
    text: str
    anchor: str = "middle"  # SVG text-anchor: start, middle or end
    css: str = "tick"
    bold: bool = False

    @cached_property
    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the drawn text, estimated generously."""
        width = text_width(self.text, bold=self.bold)
        left = self.x - width * {"start": 0.0, "middle": 0.5, "end": 1.0}[self.anchor]
        return (left, self.y - ASCENT * FONT_SIZE, left + width, self.y + DESCENT * FONT_SIZE)


@dataclass(frozen=True)
class Plot:
    """The area inside the axes: `count` equal slots across, `low` to `high` up."""

    layout: Layout
    left: float
    count: int
    low: float
    high: float

    # Cached: x() and y() ask for them at every bar, marker and label.
    @cached_property
    def top(self) -> float:
        return self.layout.top

    @cached_property
    def right(self) -> float:
        return self.layout.width - self.layout.right

    @cached_property
    def bottom(self) -> float:
        return self.layout.height - self.layout.bottom

    @cached_property
    def slot(self) -> float:
        return (self.right - self.left) / max(self.count, 1)

    def x(self, index: int) -> float:
        return round(self.left + self.slot * (index + 0.5), 1)

    def y(self, value: float) -> float:
        share = (value - self.low) / ((self.high - self.low) or 1.0)
        return round(self.bottom - share * (self.bottom - self.top), 1)


NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)


def tick_step(span: float, height: float, *, least: float = 0) -> float:
    """The smallest round step of at least `least` that gives at most six ticks, far enough
    apart for their labels not to touch."""
    for step in NICE_STEPS:
        if step >= least and span / step <= 6 and height * step / span >= 1.6 * FONT_SIZE:
            return step
    return math.ceil(span / 5)


def axes(
    layout: Layout, *, count: int, low: float, high: float, least_step: float = 1, unit: str = ""
) -> tuple[Plot, tuple[float, ...], tuple[Label, ...]]:
    """The plot, its grid and its y labels, the left margin made wide enough for them."""
    step = tick_step(high - low, layout.height - layout.top - layout.bottom, least=least_step)
    values = [low + step * i for i in range(int((high - low) / step + 1e-9) + 1)]
    texts = [f"{value:g}{unit}" for value in values]
    widest = max(text_width(text) for text in texts)
    left = max(layout.least_left, math.ceil(widest + TICK_GAP + 2))
    plot = Plot(layout, left=left, count=count, low=low, high=high)
    grid = tuple(plot.y(value) for value in values)
    labels = tuple(
        Label(plot.left - TICK_GAP, round(y + 0.35 * FONT_SIZE, 1), text, anchor="end")
        for y, text in zip(grid, texts, strict=True)
    )
    return plot, grid, labels


def date_labels(plot: Plot, dates: Sequence[dt.date]) -> tuple[Label, ...]:
    """Dates under the plot, as many as fit side by side, counted back from the latest so that
    the latest is always labelled. A label at the edge moves inwards rather than be cut off."""
    texts = [day_label(day) for day in dates]
    y = plot.bottom + X_LABEL_DROP

    made: dict[int, Label] = {}

    def label(i: int) -> Label:
        if i not in made:
            half = text_width(texts[i]) / 2
            made[i] = Label(
                round(min(max(plot.x(i), half + 1), plot.layout.width - half - 1), 1), y, texts[i]
            )
        return made[i]

    # Labels `every` slots apart stand at most that far apart (each x is rounded to 0.1; one
    # at an edge only moves inwards), so a spacing too small for the two narrowest dates side
    # by side cannot fit and is not tried: a long range would try dozens. The spacings left
    # are tried as before, each label made once.
    widths = sorted(text_width(text) for text in texts)
    narrowest = sum(widths[:2]) / 2 + LABEL_GAP
    first = next((e for e in range(1, len(dates)) if plot.slot * e + 1 >= narrowest), len(dates))
    for every in range(max(first, 1), len(dates) + 1):
        chosen = range(len(dates) - 1, -1, -every)
        fits = all(
            label(right).box[0] - label(left).box[2] >= LABEL_GAP
            for right, left in pairwise(chosen)
        )
        if fits:
            return tuple(label(i) for i in reversed(chosen))
    return ()
