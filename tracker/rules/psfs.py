"""The Patient-Specific Functional Scale, as plain arithmetic: when the patient is asked
(again), the average of a round, and whether a change since the first rating is more than the
scale's minimal detectable change (about 2 points on the average, 3 on one activity).

The average change compares like with like: only the activities rated in both the first and
the latest round count, on their unrounded means; numbers are rounded only to be shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

AVERAGE_MDC = Decimal(2)
ACTIVITY_MDC = Decimal(3)
MDC_RULE = (
    "A change of 2 points in the average, or 3 points in one activity, since the first "
    "rating is more than the scale's margin (its minimal detectable change)."
)
SCORE_WORDS = {0: "unable", 10: "as before"}


def next_due(
    *, plan_starts_on: dt.date, every_weeks: int, last_rated_on: dt.date | None
) -> dt.date:
    """The day the patient is next asked: the plan's first day for the first round, then
    `every_weeks` weeks after the latest round."""
    if last_rated_on is None:
        return plan_starts_on
    return last_rated_on + dt.timedelta(weeks=every_weeks)


def is_due(
    *,
    plan_active: bool,
    plan_starts_on: dt.date,
    every_weeks: int,
    last_rated_on: dt.date | None,
    today: dt.date,
) -> bool:
    """Whether Today asks: only under an active plan that has started."""
    if not plan_active or plan_starts_on > today:
        return False
    due = next_due(
        plan_starts_on=plan_starts_on, every_weeks=every_weeks, last_rated_on=last_rated_on
    )
    return due <= today


def shown(value: Decimal) -> Decimal:
    """A score, average or change as the page shows it: one decimal place, halves up."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def average(scores: Sequence[int]) -> Decimal | None:
    """The round's average, to one decimal place (halves up); None for no scores."""
    if not scores:
        return None
    return shown(Decimal(sum(scores)) / Decimal(len(scores)))


@dataclass(frozen=True)
class Change:
    """A change since the first rating, against the detectable change for its kind."""

    amount: Decimal
    detectable: Decimal

    @property
    def meaningful(self) -> bool:
        return abs(self.amount) >= self.detectable

    @property
    def words(self) -> str:
        if shown(self.amount) == 0:
            return "No change since the first rating"
        points = _points(abs(shown(self.amount)))
        way = "Up" if self.amount > 0 else "Down"
        if self.meaningful:
            return f"{way} {points} since the first rating: a meaningful change"
        return f"{way} {points} since the first rating: within the scale's margin"


def _points(amount: Decimal) -> str:
    shown = amount.normalize() if amount == amount.to_integral() else amount
    return f"{shown:f} point" + ("" if amount == 1 else "s")


def change(first: Decimal | int, latest: Decimal | int, *, detectable: Decimal) -> Change:
    return Change(amount=Decimal(latest) - Decimal(first), detectable=detectable)


@dataclass(frozen=True)
class ActivityHistory:
    name: str
    points: tuple[tuple[dt.date, int], ...]  # every rating, oldest first
    dropped_on: dt.date | None

    @property
    def first(self) -> int:
        return self.points[0][1]

    @property
    def latest(self) -> int:
        return self.points[-1][1]

    @property
    def change(self) -> Change | None:
        if len(self.points) < 2:
            return None
        return change(self.first, self.latest, detectable=ACTIVITY_MDC)


@dataclass(frozen=True)
class Comparison:
    """The first and the latest round over the `count` activities rated in both (all of
    them when `same_activities`): their totals, so the change is exact."""

    count: int
    first_total: int
    latest_total: int
    same_activities: bool

    @property
    def first_average(self) -> Decimal:
        return shown(Decimal(self.first_total) / self.count)

    @property
    def latest_average(self) -> Decimal:
        return shown(Decimal(self.latest_total) / self.count)

    @property
    def change(self) -> Change:
        amount = Decimal(self.latest_total - self.first_total) / self.count
        return Change(amount=amount, detectable=AVERAGE_MDC)


def compare(first: Mapping[int, int], latest: Mapping[int, int]) -> Comparison | None:
    """Two rounds' scores by activity, over the activities rated in both; None when they
    share none."""
    both = first.keys() & latest.keys()
    if not both:
        return None
    return Comparison(
        count=len(both),
        first_total=sum(first[a] for a in both),
        latest_total=sum(latest[a] for a in both),
        same_activities=first.keys() == latest.keys(),
    )


@dataclass(frozen=True)
class PsfsHistory:
    activities: tuple[ActivityHistory, ...]
    rounds: tuple[tuple[dt.date, Decimal], ...]  # each round's date and average
    comparison: Comparison | None = None  # the first round against the latest

    @property
    def average_change(self) -> Change | None:
        return self.comparison.change if self.comparison else None


@dataclass(frozen=True)
class Rating:
    """One score as read: which round, when, which activity (its name and when it was
    dropped, if it was), and the score."""

    round_id: int
    rated_on: dt.date
    activity_id: int
    name: str
    dropped_on: dt.date | None
    score: int


def history(ratings: Sequence[Rating]) -> PsfsHistory | None:
    """From the patient's ratings, in the order of the rounds and then of the activities'
    positions: each activity's scores over time and each round's average. None when nothing
    was rated yet."""
    if not ratings:
        return None
    by_activity: dict[int, list[Rating]] = {}
    by_round: dict[int, list[Rating]] = {}
    for rating in ratings:
        by_activity.setdefault(rating.activity_id, []).append(rating)
        by_round.setdefault(rating.round_id, []).append(rating)
    scores = [{r.activity_id: r.score for r in rows} for rows in by_round.values()]
    return PsfsHistory(
        comparison=compare(scores[0], scores[-1]) if len(scores) > 1 else None,
        activities=tuple(
            ActivityHistory(
                name=rows[0].name,
                points=tuple((r.rated_on, r.score) for r in rows),
                dropped_on=rows[0].dropped_on,
            )
            for rows in by_activity.values()
        ),
        rounds=tuple(
            (rows[0].rated_on, average([r.score for r in rows])) for rows in by_round.values()
        ),
    )
