"""Progression: how a prescription's minutes per session grow week by week.

Pure arithmetic, no database. A target grows by the weekly rate from its start, compounding,
rounded down to whole minutes, capped at the prescription's maximum and at the clearance's
longest session. A held week does not grow: its target equals the week before.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction


def growth_steps(held: Sequence[bool], week: int) -> int:
    """How many of weeks 1..week were allowed to grow. `held[w]` is True when week w was held;
    weeks past the end of `held` were not held."""
    return sum(1 for w in range(1, week + 1) if not (w < len(held) and held[w]))


def target_minutes(
    *, start: int, maximum: int, weekly_rate_percent: int, session_cap: int, steps: int
) -> int:
    """Minutes per session after `steps` weeks of growth."""
    ceiling = min(maximum, session_cap)
    grown = Fraction(start) * Fraction(100 + weekly_rate_percent, 100) ** steps
    return max(0, min(ceiling, math.floor(grown)))


@dataclass(frozen=True)
class WeekTarget:
    """One prescription's target for one week, with the reasons a person needs to trust it."""

    week: int  # 0 for the plan's first week
    minutes: int
    start: int
    maximum: int
    session_cap: int
    weekly_rate_percent: int
    steps: int
    held_reasons: tuple[str, ...]

    @property
    def is_held(self) -> bool:
        return bool(self.held_reasons)

    @property
    def at_ceiling(self) -> bool:
        return self.minutes >= min(self.maximum, self.session_cap)

    @property
    def capped_by_clearance(self) -> bool:
        return self.at_ceiling and self.session_cap < self.maximum


def week_target(
    *,
    start: int,
    maximum: int,
    weekly_rate_percent: int,
    session_cap: int,
    week: int,
    held: Sequence[bool],
    held_reasons: Sequence[str] = (),
) -> WeekTarget:
    steps = growth_steps(held, week)
    return WeekTarget(
        week=week,
        minutes=target_minutes(
            start=start,
            maximum=maximum,
            weekly_rate_percent=weekly_rate_percent,
            session_cap=session_cap,
            steps=steps,
        ),
        start=start,
        maximum=maximum,
        session_cap=session_cap,
        weekly_rate_percent=weekly_rate_percent,
        steps=steps,
        held_reasons=tuple(held_reasons),
    )
