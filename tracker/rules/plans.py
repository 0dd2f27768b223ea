"""Plan rules: what a clearance allows, when a plan may be active, and which weeks hold a
plan's progression. Plain functions over plain values, so forms, the admin and views all call
the same code and tests need no request; domain/plans.py does the writes."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.models import (
    Activity,
    Clearance,
    PatientProfile,
    Plan,
    PlanStatus,
    Prescription,
)
from tracker.rules.progression import WeekTarget, week_target

SUPERVISED_REASON = (
    "Supervised plan: with nerve-related (neurogenic) atrophy, only your care team raises targets."
)


@dataclass(frozen=True)
class Limits:
    """What a physician's clearance allows, as plain values."""

    physician_name: str
    cleared_on: dt.date
    valid_until: dt.date
    allowed_activity_ids: frozenset[int]
    max_session_minutes: int
    high_impact_allowed: bool
    weight_bearing_allowed: bool

    @classmethod
    def of(cls, clearance: Clearance) -> Limits:
        return cls(
            physician_name=clearance.physician_name,
            cleared_on=clearance.cleared_on,
            valid_until=clearance.valid_until,
            allowed_activity_ids=frozenset(a.pk for a in clearance.activities.all()),
            max_session_minutes=clearance.max_session_minutes,
            high_impact_allowed=clearance.high_impact_allowed,
            weight_bearing_allowed=clearance.weight_bearing_allowed,
        )

    def is_current(self, day: dt.date) -> bool:
        return self.cleared_on <= day <= self.valid_until


def clearance_problem(limits: Limits, day: dt.date) -> str | None:
    """Why the clearance cannot back exercise on `day`, or None."""
    if day > limits.valid_until:
        return (
            f"The physician's clearance ran out on {limits.valid_until:%-d %B %Y}. "
            "A new clearance must be recorded first."
        )
    if day < limits.cleared_on:
        return f"The physician's clearance only starts on {limits.cleared_on:%-d %B %Y}."
    return None


def activity_problem(activity: Activity, limits: Limits) -> str | None:
    """Why this clearance does not allow `activity`, or None."""
    name = activity.name
    if not activity.is_active:
        return f"{name} is no longer offered by the clinic."
    if activity.pk not in limits.allowed_activity_ids:
        return (
            f"{name} is not among the activities {limits.physician_name} cleared. "
            "Choose a cleared activity, or record a new clearance that includes it."
        )
    if activity.is_high_impact and not limits.high_impact_allowed:
        return (
            f"{name} is high-impact, and the clearance does not allow high-impact exercise. "
            "Choose a low-impact activity such as walking or swimming."
        )
    if activity.weight_bearing and not limits.weight_bearing_allowed:
        return (
            f"{name} puts the body's weight on the legs, and the clearance does not allow "
            "weight-bearing exercise. Choose a non-weight-bearing activity such as swimming."
        )
    return None


def prescription_problems(
    *, activity: Activity, start_minutes: int | None, max_minutes: int | None, limits: Limits
) -> dict[str, str]:
    """Each field of a prescription that breaks the clearance, with the reason in words."""
    problems: dict[str, str] = {}
    if reason := activity_problem(activity, limits):
        problems["activity"] = reason
    cap = limits.max_session_minutes
    for field, minutes in (("start_minutes", start_minutes), ("max_minutes", max_minutes)):
        if minutes is not None and minutes > cap:
            problems[field] = (
                f"The clearance allows sessions of at most {cap} minutes; this is {minutes}."
            )
    return problems


@dataclass(frozen=True)
class PrescriptionFacts:
    activity: Activity
    start_minutes: int
    max_minutes: int


def activation_problems(
    *,
    limits: Limits,
    prescriptions: Iterable[PrescriptionFacts],
    today: dt.date,
    other_active_plan: str | None,
) -> list[str]:
    """Everything that stops a plan from becoming active; empty when it may."""
    problems = []
    if reason := clearance_problem(limits, today):
        problems.append(reason)
    prescriptions = list(prescriptions)
    if not prescriptions:
        problems.append("Add at least one activity to the plan first.")
    for item in prescriptions:
        for reason in prescription_problems(
            activity=item.activity,
            start_minutes=item.start_minutes,
            max_minutes=item.max_minutes,
            limits=limits,
        ).values():
            problems.append(
                reason
                if reason.startswith(item.activity.name)
                else f"{item.activity.name}: {reason}"
            )
    if other_active_plan:
        problems.append(
            f"The patient already has an active plan ({other_active_plan}). "
            "Pause or complete it first: only one plan can be active at a time."
        )
    return problems


ALLOWED_MOVES: dict[str, set[str]] = {
    PlanStatus.DRAFT: {PlanStatus.ACTIVE},
    PlanStatus.ACTIVE: {PlanStatus.PAUSED, PlanStatus.COMPLETED},
    PlanStatus.PAUSED: {PlanStatus.ACTIVE, PlanStatus.COMPLETED},
    PlanStatus.COMPLETED: set(),
}


def is_suspended(plan: Plan, limits: Limits, today: dt.date) -> bool:
    """An active plan whose clearance is not current: shown as suspended, no logging."""
    return plan.status == PlanStatus.ACTIVE and not limits.is_current(today)


def is_supervised(profile: PatientProfile | None) -> bool:
    """Neurogenic patients' plans never progress on their own."""
    return profile is not None and profile.is_neurogenic


def week_of_plan(plan: Plan, today: dt.date) -> int:
    return max(0, (today - plan.starts_on).days // 7)


ADHERENCE_TARGET = 0.8  # share of prescribed sessions a week that counts as keeping up


ALERT_REASON = "Held while your care team reviews something you reported."


ADHERENCE_REASON = "Held because fewer sessions than planned were logged last week."


MANUAL_REASON = "Held by your physiotherapist for now."


@dataclass(frozen=True)
class WeekHolds:
    """For each week of a plan, whether its target may grow, and why not this week."""

    held: tuple[bool, ...]
    reasons: tuple[str, ...]


def sessions_needed(target_sessions: int) -> int:
    return math.ceil(target_sessions * ADHERENCE_TARGET)


def week_holds(
    *,
    starts_on: dt.date,
    week: int,
    supervised: bool,
    alert_spans: Iterable[tuple[dt.date, dt.date | None]],
    sessions_by_week: dict[int, int],
    target_sessions: int,
    manual_spans: Iterable[tuple[dt.date, dt.date | None]] = (),
) -> WeekHolds:
    """Week w (from 1) grows only if no alert was open at any time from the start of the
    week before up to and including the day week w begins, the week before met the adherence
    target, and the patient is not on a supervised plan. `alert_spans` are (opened,
    acknowledged or None) dates."""
    alert_held = _weeks_within(
        # open at any time from the week before's start up to the week's first day
        (
            (opened, None if closed is None else closed + dt.timedelta(weeks=1))
            for opened, closed in alert_spans
        ),
        starts_on=starts_on,
        week=week,
    )
    manual_held = _weeks_within(
        # begun by the week's first day and not ended on it
        (
            (start, None if end is None else end - dt.timedelta(days=1))
            for start, end in manual_spans
        ),
        starts_on=starts_on,
        week=week,
    )
    held = [supervised]
    reasons: list[str] = []
    for w in range(1, week + 1):
        why = []
        if supervised:
            why.append(SUPERVISED_REASON)
        if w in alert_held:
            why.append(ALERT_REASON)
        if w in manual_held:
            why.append(MANUAL_REASON)
        if target_sessions and sessions_by_week.get(w - 1, 0) < sessions_needed(target_sessions):
            why.append(ADHERENCE_REASON)
        held.append(bool(why))
        if w == week:
            reasons = why
    if week == 0 and supervised:
        reasons = [SUPERVISED_REASON]
    return WeekHolds(held=tuple(held), reasons=tuple(reasons))


def this_weeks_target(
    prescription: Prescription,
    *,
    limits: Limits,
    week: int,
    supervised: bool,
    holds: WeekHolds | None = None,
) -> WeekTarget:
    if holds is None:
        holds = WeekHolds(
            held=(supervised,) * (week + 1),
            reasons=(SUPERVISED_REASON,) if supervised else (),
        )
    return week_target(
        start=prescription.start_minutes,
        maximum=prescription.max_minutes,
        weekly_rate_percent=prescription.weekly_progression_percent,
        session_cap=limits.max_session_minutes,
        week=week,
        held=holds.held,
        held_reasons=holds.reasons,
    )


def in_force(prescriptions: Iterable[Prescription], on: dt.date) -> list[Prescription]:
    """The prescriptions that count toward targets on `on`: not suspended by then."""
    return [p for p in prescriptions if p.suspended_on is None or p.suspended_on > on]


def _weeks_within(
    spans: Iterable[tuple[dt.date, dt.date | None]], *, starts_on: dt.date, week: int
) -> set[int]:
    """The weeks w from 1 to `week` whose first day falls in one of the (first, last or None)
    day spans: each span's weeks worked out at once, not every week tried against it."""
    weeks: set[int] = set()
    for first, last in spans:
        earliest = max(1, -(-(first - starts_on).days // 7))  # the first week start on or after
        latest = week if last is None else min(week, (last - starts_on).days // 7)
        weeks.update(range(earliest, latest + 1))
    return weeks


def sessions_by_plan_week(plan: Plan, per_day: Iterable[tuple[dt.date, int]]) -> dict[int, int]:
    """Sessions logged on the plan in each of its weeks (from 0), from (day, count) pairs."""
    by_week: dict[int, int] = {}
    for day, count in per_day:
        if day >= plan.starts_on:
            index = (day - plan.starts_on).days // 7
            by_week[index] = by_week.get(index, 0) + count
    return by_week


def week_start(plan_starts_on: dt.date, day: dt.date) -> dt.date:
    """The first day of the plan week `day` falls in: plan weeks start on the plan's start day."""
    return plan_starts_on + dt.timedelta(weeks=(day - plan_starts_on).days // 7)
