"""The caseload: a physiotherapist's patients, most in need of attention first.

Attention, in order: an open danger-sign alert; an open pain, effort or over-the-clearance
alert; a current plan that is paused (by the physiotherapist or a new clearance); fewer than
80% of planned sessions over the last two complete weeks; no session logged
for SILENCE_DAYS days; everyone else. The order is computed in the database, so a page of 25
is cut from a sorted list of any length; the rows of that page are then filled in a fixed
number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tracker.models import (
    Alert,
    AlertKind,
    Measurement,
    MeasurementKind,
    Plan,
    PlanStatus,
    Prescription,
    User,
)
from tracker.queries.week import ThisWeek, counted_sessions, this_weeks
from tracker.rules.plans import ADHERENCE_TARGET
from tracker.rules.progress import Week, limb_gap, monday, recovery_phase
from tracker.rules.thresholds import SILENCE_DAYS

TREND_WEEKS = 8

TIER_LABELS = {
    0: "Danger sign",
    1: "Pain or effort",
    2: "Falling behind",
    3: f"No log for {SILENCE_DAYS}+ days",
    4: "On track",
    5: "Plan paused",
}
PAUSED_TIER = 5  # sorts after the alerts, before falling behind: see `rank`


def _reason(patient: User) -> str:
    """The tier's label; a patient there only for going past the clearance is named so."""
    if patient.tier == 1 and not patient.pain_open:
        return AlertKind.OVER_CLEARANCE.label
    return TIER_LABELS[patient.tier]


def _count(queryset: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values("patient").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def sorted_caseload(patients: QuerySet[User], *, today: dt.date) -> QuerySet[User]:
    """`patients` annotated with what triage needs and ordered by attention."""
    two_weeks_from = monday(today) - dt.timedelta(weeks=2)
    last_monday = monday(today)
    open_alerts = Alert.objects.open().filter(patient=OuterRef("pk"))
    sessions = counted_sessions().filter(patient=OuterRef("pk"))
    planned = (
        Prescription.objects.filter(plan__patient=OuterRef("pk"), plan__status=PlanStatus.ACTIVE)
        .filter(Q(suspended_on__isnull=True) | Q(suspended_on__gt=today))
        .order_by()
        .values("plan__patient")
        .annotate(n=Sum("sessions_per_week"))
        .values("n")[:1]
    )
    plans = Plan.objects.filter(patient=OuterRef("pk"))
    return (
        patients.select_related("profile")
        .annotate(
            # The current plan is paused: a paused plan and no active one (as current_plan).
            plan_paused=Exists(plans.filter(status=PlanStatus.PAUSED))
            & ~Exists(plans.filter(status=PlanStatus.ACTIVE)),
            danger_open=_count(open_alerts.filter(kind=AlertKind.DANGER_SIGN)),
            pain_open=_count(open_alerts.filter(kind__in=[AlertKind.PAIN, AlertKind.EFFORT])),
            beyond_open=_count(open_alerts.filter(kind=AlertKind.OVER_CLEARANCE)),
            alerts_open=_count(open_alerts),
            oldest_alert=Subquery(open_alerts.order_by("opened_at").values("opened_at")[:1]),
            last_log=Subquery(
                sessions.order_by("-date").values("date")[:1], output_field=DateField()
            ),
            done_two_weeks=_count(sessions.filter(date__gte=two_weeks_from, date__lt=last_monday)),
            planned_per_week=Coalesce(Subquery(planned, output_field=IntegerField()), Value(0)),
        )
        .annotate(
            tier=Case(
                When(danger_open__gt=0, then=Value(0)),
                When(Q(pain_open__gt=0) | Q(beyond_open__gt=0), then=Value(1)),
                When(plan_paused=True, then=Value(PAUSED_TIER)),
                When(
                    Q(planned_per_week__gt=0)
                    & Q(done_two_weeks__lt=F("planned_per_week") * 2 * ADHERENCE_TARGET),
                    then=Value(2),
                ),
                When(
                    Q(last_log__isnull=True)
                    | Q(last_log__lt=today - dt.timedelta(days=SILENCE_DAYS)),
                    then=Value(3),
                ),
                default=Value(4),
                output_field=IntegerField(),
            )
        )
        .annotate(
            # The order of attention: a paused plan between the alerts and falling behind.
            rank=Case(
                When(tier=PAUSED_TIER, then=Value(3)),
                default=F("tier") * 2,
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "oldest_alert", "done_two_weeks", "last_log", "last_name", "pk")
    )


@dataclass
class Row:
    patient: User
    tier: int
    reason: str
    adherence: int | None  # percent over the last two complete weeks
    week: ThisWeek  # this week's minutes and sessions against the plan, as every page shows
    last_log: dt.date | None
    days_silent: int | None
    alerts: list[str]
    phase: str | None
    trend: list[int]  # minutes in each of the last TREND_WEEKS weeks, oldest first
    paused: str = ""  # who or what paused the current plan, about the patient

    @property
    def on_track(self) -> bool:
        return self.tier == 4

    @property
    def minutes_this_week(self) -> int:
        return self.week.minutes

    @property
    def trend_points(self) -> str:
        """A small line for the row, 100 x 24, as SVG polyline points."""
        top = max([*self.trend, 1])
        step = 100 / max(len(self.trend) - 1, 1)
        return " ".join(
            f"{i * step:.0f},{22 - 20 * minutes / top:.0f}" for i, minutes in enumerate(self.trend)
        )


def build_rows(patients: list[User], *, today: dt.date) -> list[Row]:
    """Fill in one page of the caseload, in a fixed number of queries."""
    trend_from = monday(today) - dt.timedelta(weeks=TREND_WEEKS - 1)
    read = this_weeks(patients, today=today, since=trend_from)
    gaps: dict[int, list[Measurement]] = defaultdict(list)
    for measurement in Measurement.objects.filter(
        patient_id__in=[p.pk for p in patients], kind=MeasurementKind.CIRCUMFERENCE
    ).order_by("measured_on", "pk"):
        gaps[measurement.patient_id].append(measurement)

    rows = []
    for patient in patients:
        days = read.days.get(patient.pk, {})
        week = read[patient.pk]
        weekly = _weekly_minutes(days, first=trend_from, today=today)
        planned = patient.planned_per_week
        adherence = (
            min(100, round(100 * patient.done_two_weeks / (2 * planned))) if planned else None
        )
        recent = [
            Week(
                start=monday(today) - dt.timedelta(weeks=back),
                minutes=weekly[-1 - back],
                sessions=_sessions_in_week(days, monday(today) - dt.timedelta(weeks=back)),
                target_minutes=0,
                target_sessions=planned,
                effort=None,
                pain_after=None,
                pain_peak=None,
                met_minutes=0,
            )
            for back in (2, 1)
        ]
        rows.append(
            Row(
                patient=patient,
                tier=patient.tier,
                reason=_reason(patient),
                adherence=adherence,
                week=week,
                last_log=patient.last_log,
                days_silent=(today - patient.last_log).days if patient.last_log else None,
                alerts=[
                    AlertKind(kind).label
                    for kind, _, closed in read.alerts.get(patient.pk, [])
                    if closed is None
                ],
                phase=None
                if week.supervised
                else recovery_phase(recent, limb_gap(gaps[patient.pk])).name,
                trend=weekly,
                paused=paused_note(week.plan),
            )
        )
    return rows


def paused_note(plan: Plan | None) -> str:
    """Who or what paused a paused plan, for the care team; empty for any other plan."""
    if plan is None or plan.status != PlanStatus.PAUSED:
        return ""
    if plan.status_changed_at is None:
        return "The plan is paused."
    on = timezone.localdate(plan.status_changed_at)
    if plan.status_changed_by_id is None:  # only a new clearance pauses a plan on its own
        clearance = plan.clearance
        return (
            f"The clearance from {clearance.physician_name} of {clearance.cleared_on:%-d %B %Y}"
            f" paused the plan on {on:%-d %B}."
        )
    reason = f": “{plan.status_reason}”" if plan.status_reason else "."
    return f"{plan.status_changed_by.display_name} paused the plan on {on:%-d %B}{reason}"


def _weekly_minutes(days: dict, *, first: dt.date, today: dt.date) -> list[int]:
    weeks = []
    start = first
    while start <= today:
        weeks.append(
            sum(
                minutes
                for day, (_, minutes) in days.items()
                if start <= day < start + dt.timedelta(weeks=1)
            )
        )
        start += dt.timedelta(weeks=1)
    return weeks


def _sessions_in_week(days: dict, start: dt.date) -> int:
    return sum(
        count for day, (count, _) in days.items() if start <= day < start + dt.timedelta(weeks=1)
    )


def filter_caseload(
    patients: QuerySet[User], *, search: str = "", show: str = "", activity_id: int | None = None
) -> QuerySet[User]:
    """Search by name, 'alerts' (any open alert), 'slipping' (behind or silent), by activity."""
    for word in search.split():
        patients = patients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    if show == "alerts":
        patients = patients.filter(alerts_open__gt=0)
    elif show == "slipping":
        patients = patients.filter(tier__in=[2, 3])
    if activity_id:
        patients = patients.filter(
            plans__status=PlanStatus.ACTIVE, plans__prescriptions__activity_id=activity_id
        ).distinct()
    return patients
