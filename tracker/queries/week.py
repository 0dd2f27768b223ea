"""One "this week" for every page: its days, what the plan prescribes in it, and what was done.

A week runs Monday to Sunday, the same on Today, My plan, Progress, the caseload, the record
and the report. What was done counts every session the patient logged in those days and has
not deleted, whichever plan it was logged against. What is prescribed is the patient's current
plan (active, else paused) in the plan week in force on the week's latest day so far
(`tracker.queries.plan_week`): the same minutes per session the log form suggests. A
prescription suspended by then counts for nothing.

`this_week` reads one patient's week in a fixed number of queries; `this_weeks` reads many
patients' in a fixed number of queries however many there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, F, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.db.models.query import QuerySet

from tracker.models import (
    Alert,
    Plan,
    PlanStatus,
    Prescription,
    SessionLog,
    User,
)
from tracker.queries.plan_week import (
    PlanWeek,
    PlanWeekStart,
    PrescriptionTarget,
    plan_week,
    plan_week_holds,
)
from tracker.rules.plans import WeekHolds, is_supervised


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of the week `today` falls in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class ThisWeek:
    start: dt.date  # Monday
    end: dt.date  # Sunday
    today: dt.date
    supervised: bool
    minutes: int
    sessions: int
    plan_week: PlanWeek | None = None  # the current plan in its week of `today`; None without

    @property
    def plan(self) -> Plan | None:
        return self.plan_week.plan if self.plan_week is not None else None

    @property
    def week(self) -> int:
        """The plan's own week, from 0: what its targets have grown to."""
        return self.plan_week.week if self.plan_week is not None else 0

    @property
    def targets(self) -> tuple[PrescriptionTarget, ...]:
        return self.plan_week.targets if self.plan_week is not None else ()

    @property
    def holds(self) -> WeekHolds | None:
        return self.plan_week.holds if self.plan_week is not None else None

    @property
    def on_plan(self) -> bool:
        """Whether an active plan is under way to measure the week against: a paused plan
        prescribes nothing for now, and pages show no "of" figures for it."""
        return (
            self.plan is not None
            and self.plan.status == PlanStatus.ACTIVE
            and self.plan.starts_on <= self.today
        )

    @property
    def target_minutes(self) -> int:
        return sum(t.minutes for t in self.targets)

    @property
    def target_sessions(self) -> int:
        return sum(t.sessions for t in self.targets)

    @property
    def adherence(self) -> int:
        """Sessions done as a share of those prescribed, in percent, at most 100."""
        if not self.target_sessions:
            return 0
        return min(100, round(100 * self.sessions / self.target_sessions))

    @property
    def minutes_percent(self) -> int:
        if not self.target_minutes:
            return 0
        return min(100, round(100 * self.minutes / self.target_minutes))

    @property
    def figures(self) -> tuple[int, int, int, int]:
        """(minutes, of minutes, sessions, of sessions): what every page shows."""
        return self.minutes, self.target_minutes, self.sessions, self.target_sessions


def make_week(
    *, today: dt.date, supervised: bool, plan_week: PlanWeek | None, minutes: int, sessions: int
) -> ThisWeek:
    """The week `today` falls in, from what was read for it: the current plan in its plan
    week of `today` (None without a plan), and the minutes and sessions done since Monday."""
    start, end = week_bounds(today)
    return ThisWeek(
        start=start,
        end=end,
        today=today,
        supervised=supervised,
        minutes=minutes,
        sessions=sessions,
        plan_week=plan_week,
    )


def counted_sessions():
    """The sessions a week counts: every one the patient has not deleted."""
    return SessionLog.objects.current()


def as_date(value: dt.date | dt.datetime) -> dt.date:
    """A week's Monday as a date: TruncWeek of a date gives a datetime on some databases."""
    return value.date() if isinstance(value, dt.datetime) else value


def weekly_totals(sessions: QuerySet[SessionLog], **aggregates) -> list[dict]:
    """`sessions` grouped by Monday-to-Sunday week in the database, oldest first: one row per
    week with a session, its "week" (the Monday, a date) and each of `aggregates` (name to
    aggregate expression). The one weekly grouping: the progress pages and the FHIR export."""
    return [
        {**row, "week": as_date(row["week"])}
        for row in sessions.annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(**aggregates)
        .order_by("week")
    ]


@dataclass
class Weeks:
    """Many patients' weeks, and what was read for them, for pages that show more of it."""

    weeks: dict[int, ThisWeek]
    # patient id -> day -> (sessions, minutes), every counted session from `since` to today
    days: dict[int, dict[dt.date, tuple[int, int]]]
    # patient id -> (kind, day opened, day acknowledged or None) of the alerts read, local days
    alerts: dict[int, list[tuple[str, dt.date, dt.date | None]]]

    def __getitem__(self, patient_id: int) -> ThisWeek:
        return self.weeks[patient_id]


def current_of(plans: Sequence[Plan]) -> Plan | None:
    """Of one patient's plans, already read, the one `current_plan` would choose."""
    shown = [p for p in plans if p.status in (PlanStatus.ACTIVE, PlanStatus.PAUSED)]
    return min(shown, key=lambda p: (p.status, -p.starts_on.toordinal()), default=None)


def current_plans(patient_ids: Sequence[int]) -> dict[int, Plan]:
    """Each patient's current plan as `current_plan` chooses it: active, else paused."""
    plans: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(
            patient_id__in=patient_ids, status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED]
        )
        .select_related("clearance", "status_changed_by")
        .prefetch_related(
            "clearance__activities",
            Prefetch("prescriptions", Prescription.objects.select_related("activity")),
            "holds",
        )
        .order_by("status", "-starts_on")  # "active" sorts before "paused"
    ):
        plans.setdefault(plan.patient_id, plan)
    return plans


def this_week(
    patient: User, *, plan: Plan | None, today: dt.date, supervised: bool | None = None
) -> ThisWeek:
    """One patient's week, in three queries (the alerts, the sessions by day, the plan's
    holds), with the plan week in force today (`.plan_week`). `plan` is their current plan
    as `current_plan` gives it, with its clearance and prescriptions; `supervised` defaults
    to what their profile says."""
    plans = {patient.pk: plan} if plan is not None else {}
    return read_weeks([patient], plans, today=today, supervised=supervised)[patient.pk]


def this_weeks(patients: Sequence[User], *, today: dt.date, since: dt.date | None = None) -> Weeks:
    """Every patient's week, in a fixed number of queries however many patients there are:
    their current plans (four), the alerts and the sessions by day. The patients' profiles
    should be loaded with them (`select_related("profile")`). Sessions by day are read from
    `since` (default: this Monday) or the plans' start if earlier; alerts open now or
    acknowledged since a week before then."""
    plans = current_plans([p.pk for p in patients])
    return read_weeks(patients, plans, today=today, since=since)


def read_weeks(
    patients: Sequence[User],
    plans: dict[int, Plan],
    *,
    today: dt.date,
    since: dt.date | None = None,
    supervised: bool | None = None,
) -> Weeks:
    """The weeks of `patients` on `plans` (patient id -> current plan), in two queries and
    one for each plan's holds unless they were prefetched."""
    ids = [p.pk for p in patients]
    start, _ = week_bounds(today)
    by_day_from = min(since or start, start)
    earliest = min([by_day_from, *(plan.starts_on for plan in plans.values())])
    alerts: dict[int, list] = defaultdict(list)
    if plans or since is not None:  # a page without a plan needs no alerts for the week
        # The local days, as the holds take them, made in the database: cheaper than
        # converting every time the rows bring.
        for patient_id, kind, opened, closed in Alert.objects.filter(
            Q(acknowledged_at__isnull=True)
            | Q(acknowledged_at__date__gte=earliest - dt.timedelta(weeks=1)),
            patient_id__in=ids,
        ).values_list("patient_id", "kind", TruncDate("opened_at"), TruncDate("acknowledged_at")):
            alerts[patient_id].append((kind, opened, closed))
    days: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    on_plan: dict[int, dict[dt.date, int]] = defaultdict(dict)  # plan id -> day -> sessions
    # By day from `by_day_from`; before that, only what the holds read: the current plans'
    # sessions, by plan week (each counted on its week's first day), so a long plan's history
    # is a row a week, not a day. The plans' start days are given, not joined.
    by_week = [
        When(
            plan_id=plan.pk,
            date__gte=plan.starts_on,
            date__lt=by_day_from,
            then=PlanWeekStart("date", Value(plan.starts_on)),
        )
        for plan in plans.values()
    ]
    for patient_id, plan_id, day, count, minutes in (
        counted_sessions()
        .filter(patient_id__in=ids, date__gte=earliest, date__lte=today)
        .filter(Q(date__gte=by_day_from) | Q(plan_id__in=[plan.pk for plan in plans.values()]))
        .annotate(day=Case(*by_week, default=F("date")) if by_week else F("date"))
        .values("patient_id", "plan_id", "day")
        .annotate(count=Count("pk"), total=Coalesce(Sum("minutes"), 0))
        .values_list("patient_id", "plan_id", "day", "count", "total")
        .order_by()
    ):
        if day >= by_day_from:
            was = days[patient_id].get(day, (0, 0))
            days[patient_id][day] = (was[0] + count, was[1] + minutes)
        on_plan[plan_id][day] = on_plan[plan_id].get(day, 0) + count

    weeks = {}
    for patient in patients:
        plan = plans.get(patient.pk)
        watched = supervised
        if watched is None:
            watched = is_supervised(getattr(patient, "profile", None))
        now = None
        if plan is not None:
            holds = plan_week_holds(
                plan,
                today=today,
                supervised=watched,
                alert_spans=[(opened, closed) for _, opened, closed in alerts[patient.pk]],
                per_day=on_plan[plan.pk].items(),
            )
            now = plan_week(plan, on=today, supervised=watched, holds=holds)
        this = [
            (count, minutes)
            for day, (count, minutes) in days[patient.pk].items()
            if start <= day <= today
        ]
        weeks[patient.pk] = make_week(
            today=today,
            supervised=watched,
            plan_week=now,
            minutes=sum(m for _, m in this),
            sessions=sum(c for c, _ in this),
        )
    return Weeks(weeks=weeks, days=dict(days), alerts=dict(alerts))


def current_plan(patient: User) -> Plan | None:
    """The plan a patient is following: the active one, else a paused one, with what the
    pages need. Drafts are the care team's work in progress and stay hidden."""
    return (
        Plan.objects.filter(patient=patient, status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED])
        .select_related("clearance", "created_by", "status_changed_by")
        .prefetch_related(
            "clearance__activities",
            Prefetch("prescriptions", Prescription.objects.select_related("activity")),
        )
        .order_by("status", "-starts_on")  # "active" sorts before "paused"
        .first()
    )
