"""The plan week: what a patient's plan asks of them in the plan week in force on a day.

A `PlanWeek` is the plan, its own week number (from 0, counted from the day it started), the
clearance's `Limits`, whether the patient is supervised, whether the plan is suspended, the
weeks its progression was held and each prescription in force with its target and the
reasons for it. Every page that shows or checks a week gets it from `plan_week` here, given
the holds that `tracker.queries.week` (this week, one patient or many) or
`tracker.queries.history` (a patient's plans over time) read: Today, My plan, the log form's
suggested minutes, Progress, the caseload, the record, the report and the demo's sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import DateField, Func
from django.utils import timezone

from tracker.models import Plan, Prescription
from tracker.rules.plans import (
    Limits,
    WeekHolds,
    in_force,
    is_suspended,
    sessions_by_plan_week,
    this_weeks_target,
    week_holds,
    week_of_plan,
)
from tracker.rules.progression import WeekTarget


@dataclass(frozen=True)
class PrescriptionTarget:
    """One activity's share of a week: so many sessions of so many minutes, with the reasons."""

    prescription: Prescription
    target: WeekTarget

    @property
    def sessions(self) -> int:
        return self.prescription.sessions_per_week

    @property
    def minutes(self) -> int:
        return self.sessions * self.target.minutes


@dataclass(frozen=True)
class PlanWeek:
    plan: Plan
    on: dt.date  # the day the week is reckoned on: its latest day so far
    week: int  # the plan's own week, from 0: what its targets have grown to
    limits: Limits
    supervised: bool
    suspended: bool  # active, but the clearance does not cover `on`
    holds: WeekHolds
    targets: tuple[PrescriptionTarget, ...]  # the prescriptions in force on `on`

    @property
    def target_minutes(self) -> int:
        return sum(t.minutes for t in self.targets)

    @property
    def target_sessions(self) -> int:
        return sum(t.sessions for t in self.targets)

    @property
    def minutes_by_activity(self) -> dict[int, int]:
        """Each activity's minutes a session, in the plan's order: what the log form suggests."""
        minutes: dict[int, int] = {}
        for t in self.targets:
            minutes.setdefault(t.prescription.activity_id, t.target.minutes)
        return minutes


def plan_week(plan: Plan, *, on: dt.date, supervised: bool, holds: WeekHolds) -> PlanWeek:
    """`plan` in the plan week `on` falls in. The plan should come with its clearance's
    activities and its prescriptions (`current_plan`, `plans_of`): then this reads nothing."""
    limits = Limits.of(plan.clearance)
    week = week_of_plan(plan, on)
    return PlanWeek(
        plan=plan,
        on=on,
        week=week,
        limits=limits,
        supervised=supervised,
        suspended=is_suspended(plan, limits, on),
        holds=holds,
        targets=tuple(
            PrescriptionTarget(
                p,
                this_weeks_target(p, limits=limits, week=week, supervised=supervised, holds=holds),
            )
            for p in in_force(plan.prescriptions.all(), on)
        ),
    )


class PlanWeekStart(Func):
    """In the database: the first day of the plan week a day falls in, for a day on or after
    the plan's start (plan weeks start on the plan's start day), given (day, plan start)."""

    arity = 2
    output_field = DateField()

    def as_postgresql(self, compiler, connection, **extra):
        (day, day_params), (start, start_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        return f"({start} + (({day} - {start}) / 7) * 7)", (
            *start_params,
            *day_params,
            *start_params,
        )

    def as_sqlite(self, compiler, connection, **extra):
        (day, day_params), (start, start_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        weeks = f"CAST((julianday({day}) - julianday({start})) / 7 AS INTEGER)"
        return (
            f"date({start}, '+' || ({weeks} * 7) || ' days')",
            (*start_params, *day_params, *start_params),
        )


def alert_days(
    alerts: Iterable[tuple[dt.datetime, dt.datetime | None]],
) -> list[tuple[dt.date, dt.date | None]]:
    """Alerts' (opened, acknowledged or None) times as the local days week_holds takes."""
    return [
        (timezone.localdate(opened), timezone.localdate(closed) if closed else None)
        for opened, closed in alerts
    ]


def plan_week_holds(
    plan: Plan,
    *,
    today: dt.date,
    supervised: bool,
    alert_spans: Iterable[tuple[dt.date, dt.date | None]],
    per_day: Iterable[tuple[dt.date, int]],
) -> WeekHolds:
    """week_holds for `plan` up to `today`, from what was read for it: the alerts' (opened,
    acknowledged) days and its sessions as (day, count). Its manual holds and prescriptions
    should be prefetched."""
    return week_holds(
        starts_on=plan.starts_on,
        week=week_of_plan(plan, today),
        supervised=supervised,
        alert_spans=alert_spans,
        sessions_by_week=sessions_by_plan_week(plan, per_day),
        target_sessions=sum(p.sessions_per_week for p in in_force(plan.prescriptions.all(), today)),
        manual_spans=[(hold.starts_on, hold.ends_on) for hold in plan.holds.all()],
    )
