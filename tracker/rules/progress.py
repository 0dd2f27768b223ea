"""Recovery progress: the weeks, the limb gap, the functional tests and the phase.

queries/progress.py fetches the rows in a fixed number of aggregate queries (sessions are
grouped by week in the database); the functions here are plain arithmetic on them, so the
numbers can be checked by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tracker.models import (
    Measurement,
    MeasurementKind,
    Plan,
)
from tracker.models.measurements import HIGHER_IS_BETTER, UNITS
from tracker.queries.week import (
    PrescriptionTarget,
    ThisWeek,
    week_bounds,
)
from tracker.rules.plans import ADHERENCE_TARGET, sessions_needed
from tracker.rules.thresholds import WEEKLY_GOAL_MINUTES

BUILDING_MINUTES = 60


GAP_RECOVERED_CM = Decimal("1.0")


GAP_ABNORMAL_CM = Decimal("3.0")


TUG_LOW_PERFORMANCE_S = Decimal(20)


RANGES = {"4": 4, "12": 12, "all": None}


@dataclass(frozen=True)
class Week:
    """One calendar week (Monday to Sunday) of exercise against the plan."""

    start: dt.date
    minutes: int
    sessions: int
    target_minutes: int
    target_sessions: int
    effort: float | None
    pain_after: float | None
    pain_peak: int | None
    met_minutes: int

    @property
    def adherence(self) -> int:
        """Sessions done as a share of those prescribed, in percent, at most 100."""
        if not self.target_sessions:
            return 0
        return min(100, round(100 * self.sessions / self.target_sessions))

    @property
    def kept_up(self) -> bool:
        return bool(self.target_sessions) and self.sessions >= sessions_needed(self.target_sessions)


def monday(day: dt.date) -> dt.date:
    return week_bounds(day)[0]


def build_weeks(
    rows: Sequence[dict],
    *,
    first: dt.date,
    last: dt.date,
    targets_for: Callable[[dt.date], tuple[int, int]],
) -> list[Week]:
    """Every week from `first` to `last` (Mondays), empty weeks included. `rows` are the
    database's weekly sums; `targets_for(monday)` gives (minutes, sessions) prescribed."""
    by_week = {row["week"]: row for row in rows}
    weeks = []
    start = monday(first)
    while start <= last:
        row = by_week.get(start, {})
        target_minutes, target_sessions = targets_for(start)
        weeks.append(
            Week(
                start=start,
                minutes=int(row.get("total_minutes") or 0),
                sessions=int(row.get("session_count") or 0),
                target_minutes=target_minutes,
                target_sessions=target_sessions,
                effort=_rounded(row.get("avg_effort")),
                pain_after=_rounded(row.get("avg_pain_after")),
                pain_peak=row.get("pain_peak"),
                met_minutes=round(row.get("met_minutes") or 0),
            )
        )
        start += dt.timedelta(weeks=1)
    return weeks


def _rounded(value) -> float | None:
    return None if value is None else round(float(value), 1)


def streaks(weeks: Sequence[Week]) -> tuple[int, int]:
    """(current, best) runs of complete weeks in which the patient kept up with the plan."""
    current = best = run = 0
    for week in weeks:
        run = run + 1 if week.kept_up else 0
        best = max(best, run)
    current = run
    return current, best


@dataclass(frozen=True)
class LimbGap:
    site: str
    first_date: dt.date
    first_gap: Decimal
    latest_date: dt.date
    latest_gap: Decimal
    points: tuple[tuple[dt.date, Decimal, Decimal, Decimal], ...]  # date, affected, other, gap

    @property
    def closed_cm(self) -> Decimal:
        return self.first_gap - self.latest_gap

    @property
    def closed_percent(self) -> int | None:
        """How much of the first gap has closed; None when there was no gap to close."""
        if self.first_gap <= 0:
            return None
        return max(0, min(100, round(100 * self.closed_cm / self.first_gap)))


def limb_gap(measurements: Sequence[Measurement]) -> LimbGap | None:
    """The side-to-side gap at the site measured first, over time."""
    circumferences = [m for m in measurements if m.kind == MeasurementKind.CIRCUMFERENCE]
    if not circumferences:
        return None
    site = circumferences[0].site
    at_site = [m for m in circumferences if m.site == site]
    points = tuple((m.measured_on, m.affected_cm, m.unaffected_cm, m.gap_cm) for m in at_site)
    return LimbGap(
        site=at_site[0].get_site_display(),
        first_date=points[0][0],
        first_gap=points[0][3],
        latest_date=points[-1][0],
        latest_gap=points[-1][3],
        points=points,
    )


@dataclass(frozen=True)
class FunctionalTrend:
    kind: str
    label: str
    unit: str
    first_date: dt.date
    first: Decimal
    latest_date: dt.date
    latest: Decimal
    count: int
    points: tuple[tuple[dt.date, Decimal], ...]

    @property
    def change(self) -> Decimal:
        return self.latest - self.first

    @property
    def improved(self) -> bool | None:
        if self.change == 0:
            return None
        return (self.change > 0) == HIGHER_IS_BETTER[MeasurementKind(self.kind)]

    @property
    def note(self) -> str:
        if self.kind == MeasurementKind.TIMED_UP_AND_GO and self.latest >= TUG_LOW_PERFORMANCE_S:
            return f"{TUG_LOW_PERFORMANCE_S} seconds or more counts as low performance."
        return ""


def functional_trends(measurements: Sequence[Measurement]) -> list[FunctionalTrend]:
    """Each functional test against the patient's first value, in the order of the kinds."""
    trends = []
    for kind in MeasurementKind:
        if kind == MeasurementKind.CIRCUMFERENCE:
            continue
        of_kind = [m for m in measurements if m.kind == kind]
        if not of_kind:
            continue
        trends.append(
            FunctionalTrend(
                kind=kind,
                label=kind.label,
                unit=UNITS[kind],
                first_date=of_kind[0].measured_on,
                first=of_kind[0].value,
                latest_date=of_kind[-1].measured_on,
                latest=of_kind[-1].value,
                count=len(of_kind),
                points=tuple((m.measured_on, m.value) for m in of_kind),
            )
        )
    return trends


@dataclass(frozen=True)
class Phase:
    name: str
    rule: str  # why the patient is in this phase, in words
    next_step: str  # what it takes to reach the next phase


REACTIVATION, BUILDING, FULL_ACTIVITY = "Re-activation", "Building", "Return to full activity"


def recovery_phase(
    recent: Sequence[Week], gap: LimbGap | None, *, about: str | None = None
) -> Phase:
    """The phase of recovery from disuse atrophy, decided on the last two complete weeks.

    - Return to full activity: 150 minutes or more in each of them, and the limb gap (if
      measured) at most 1 cm.
    - Building: kept up with at least 80% of sessions and 60 minutes or more in each.
    - Re-activation: otherwise.

    Spoken to the patient ("you") unless `about` names them, for the care team's pages.
    """
    share = round(ADHERENCE_TARGET * 100)
    who = about or "you"
    sessions = "the planned sessions" if about else "your sessions"
    planned = "the planned sessions" if about else "your planned sessions"
    if len(recent) < 2:
        return Phase(
            REACTIVATION,
            "The first two weeks of a plan are for getting moving again.",
            f"{'Next: keep' if about else 'Keep'} up with {share}% of {sessions} and do "
            f"{BUILDING_MINUTES} minutes a week for two weeks.",
        )
    minutes = [w.minutes for w in recent]
    least = min(minutes)
    kept_up = all(w.kept_up for w in recent)
    if gap and about:
        gap_text = f" The difference between {about}'s sides is {gap.latest_gap} cm."
    elif gap:
        gap_text = f" The difference between your legs or arms is {gap.latest_gap} cm."
    else:
        gap_text = ""
    gap_ok = gap is None or gap.latest_gap <= GAP_RECOVERED_CM
    if least >= WEEKLY_GOAL_MINUTES and gap_ok:
        return Phase(
            FULL_ACTIVITY,
            f"{who[0].upper() + who[1:]} did {least} minutes or more in each of the last two "
            f"weeks, at or above the {WEEKLY_GOAL_MINUTES} minutes a week recommended for "
            f"adults.{gap_text}",
            f"Next: {about} keeps it up, at 150 to 300 minutes a week as the care team advises."
            if about
            else "Keep it up, and keep 150 to 300 minutes a week as your care team advises.",
        )
    if kept_up and least >= BUILDING_MINUTES:
        needs = []
        if least < WEEKLY_GOAL_MINUTES:
            needs.append(f"reach {WEEKLY_GOAL_MINUTES} minutes a week for two weeks in a row")
        if not gap_ok:
            needs.append(f"close the limb difference to {GAP_RECOVERED_CM} cm or less")
        return Phase(
            BUILDING,
            f"In the last two weeks {who} kept up with {sessions} and did at least {least} "
            f"minutes each week.{gap_text}",
            "Next: " + " and ".join(needs) + ".",
        )
    return Phase(
        REACTIVATION,
        f"In the last two weeks {who} did {' and '.join(str(m) for m in minutes)} minutes"
        + ("" if kept_up else f", and fewer than {share}% of {planned}")
        + ".",
        f"Next: keep up with {share}% of {sessions} and do {BUILDING_MINUTES} minutes or "
        "more a week for two weeks in a row.",
    )


@dataclass(frozen=True)
class Totals:
    sessions: int
    minutes: int
    distance_km: float
    met_minutes: int


@dataclass(frozen=True)
class Progress:
    weeks: list[Week]
    totals: Totals
    streak: int
    best_streak: int
    gap: LimbGap | None
    tests: list[FunctionalTrend]
    phase: Phase | None  # None for neurogenic patients: no promise of recovery
    supervised: bool
    range_key: str
    this_week: ThisWeek  # the week under way, as every page shows it
    plan: Plan | None = None  # the plan of the period's latest week on one, maybe completed


def _sums(targets: tuple[PrescriptionTarget, ...]) -> tuple[int, int]:
    return sum(t.minutes for t in targets), sum(t.sessions for t in targets)


def _figure(value: float | None) -> str:
    """An average as a person writes it: 11, not 11.0; 11.5 where it has a decimal."""
    return "" if value is None else f"{value:g}"


def _phase_spoken(progress: Progress, about: str | None) -> dict[str, str]:
    """The phase's reasons, to the patient, or about them (named) for the care team."""
    phase = progress.phase
    if phase is None:
        return {"phase_rule": "", "phase_next_step": ""}
    if about:
        # The complete weeks the phase was decided on: all but the week under way.
        spoken = recovery_phase(progress.weeks[:-1][-2:], progress.gap, about=about)
        if spoken.name == phase.name:
            phase = spoken
    return {"phase_rule": phase.rule, "phase_next_step": phase.next_step}


def summaries(progress: Progress, *, about: str | None = None) -> dict[str, str]:
    """A sentence for each chart: what a person would read off it at a glance. `about` names
    the patient on the care team's pages, which speak of them rather than to them."""
    spoken = _phase_spoken(progress, about)
    # The week under way is not over: judge on the weeks that are.
    done = [w for w in progress.weeks[:-1] if w.target_sessions or w.minutes]
    if not done:
        empty = "No sessions logged in this period yet."
        return {"minutes": empty, "adherence": empty, "effort_pain": empty, **spoken}
    last, first = done[-1], done[0]
    minutes = (
        f"Week of {last.start:%-d %B}: {last.minutes} minutes"
        + (f" of {last.target_minutes} prescribed" if last.target_minutes else "")
        + f". Week of {first.start:%-d %B}: {first.minutes} minutes."
        + f" The goal for adults is {WEEKLY_GOAL_MINUTES} minutes a week."
    )
    planned = [w for w in done if w.target_sessions]
    if planned:
        average = round(sum(w.adherence for w in planned) / len(planned))
        kept = sum(w.kept_up for w in planned)
        adherence = (
            f"Over these {len(planned)} weeks, {average}% of planned sessions on average; "
            f"{kept} week{'s' if kept != 1 else ''} kept up with the plan."
        )
    else:
        adherence = "No plan in this period."
    efforts = [w for w in done if w.effort is not None]
    effort_pain = (
        f"Latest week: effort {_figure(efforts[-1].effort)} on the 6-20 scale, pain after "
        f"{_figure(efforts[-1].pain_after)} of 10 on average (highest {efforts[-1].pain_peak})."
        if efforts
        else "No effort or pain recorded in this period."
    )
    return {"minutes": minutes, "adherence": adherence, "effort_pain": effort_pain, **spoken}
