"""Running the daily checks: the facts of every active plan in a fixed number of queries, and
the alerts the rules in rules/checks.py find due, each opened once however often it runs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from tracker.domain.attention import mark_stale, refresh_everyone
from tracker.models import Alert, AlertKind, Plan, PlanStatus, Prescription, SessionLog
from tracker.notifications.notices import alerts_opened
from tracker.rules.checks import (
    ONE_FACT_KINDS,
    KeyedAlert,
    PlanFacts,
    due_alerts,
    to_open,
)
from tracker.rules.plans import week_of_plan
from tracker.rules.thresholds import SILENCE_DAYS

# The checks look back this far: the last completed week of any plan began at most 13 days
# ago. The silence check reads each patient's last session through the index on (patient,
# date), whenever it was.
LOOKBACK_DAYS = 14


def _last_week_filter(today: dt.date) -> Q:
    """Sessions in their plan's last completed week, as one condition for all plans.

    Plan weeks start on the plan's start day, so a plan that started on the weekday of
    `today - r` (r from 0 to 6) is r days into its current week, and its last completed week
    is the seven days before that. Seven weekdays, seven cases."""
    condition = Q()
    for r in range(7):
        current_week_starts = today - dt.timedelta(days=r)
        condition |= Q(
            plan__starts_on__iso_week_day=current_week_starts.isoweekday(),
            date__gte=current_week_starts - dt.timedelta(weeks=1),
            date__lt=current_week_starts,
        )
    return condition


def load_facts(today: dt.date) -> list[PlanFacts]:
    """The facts for every active patient with an active plan, in two queries: the plans, with
    each patient's last session, and the sessions of the last completed weeks (of the last
    LOOKBACK_DAYS days, so the cost does not grow with the patients' history)."""
    sessions_per_week = (
        Prescription.objects.filter(plan=OuterRef("pk"))
        .values("plan")
        .annotate(total=Sum("sessions_per_week"))
        .values("total")
    )
    last_logged = (
        SessionLog.objects.current()
        .filter(patient=OuterRef("patient_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    plans = list(
        Plan.objects.filter(status=PlanStatus.ACTIVE, patient__is_active=True)
        .select_related("clearance")
        .annotate(
            sessions_per_week=Coalesce(Subquery(sessions_per_week, output_field=IntegerField()), 0),
            last_logged=Subquery(last_logged),
        )
        .order_by("patient_id")
    )
    last_week_sessions = dict(
        SessionLog.objects.current()
        .filter(plan__status=PlanStatus.ACTIVE, date__gte=today - dt.timedelta(LOOKBACK_DAYS))
        .filter(_last_week_filter(today))
        .values("plan_id")
        .annotate(sessions=Count("pk"))
        .values_list("plan_id", "sessions")
    )
    return [
        PlanFacts(
            patient_id=plan.patient_id,
            plan_id=plan.pk,
            starts_on=plan.starts_on,
            week=week_of_plan(plan, today),
            sessions_per_week=plan.sessions_per_week,
            last_week_sessions=last_week_sessions.get(plan.pk, 0),
            last_logged=plan.last_logged,
            clearance_id=plan.clearance_id,
            physician_name=plan.clearance.physician_name,
            cleared_on=plan.clearance.cleared_on,
            valid_until=plan.clearance.valid_until,
        )
        for plan in plans
    ]


@dataclass(frozen=True)
class CheckRun:
    patients: int
    opened: Counter[str]

    def summary(self) -> str:
        """One line for the cron log."""
        checked = f"Checked {self.patients} patient{'s' * (self.patients != 1)} with an active plan"
        total = self.opened.total()
        if not total:
            return f"{checked}: no new alerts."
        parts = [
            f"{self.opened[kind]} {AlertKind(kind).label.lower()}"
            for kind in AlertKind
            if self.opened[kind]
        ]
        return f"{checked}: opened {total} alert{'s' * (total != 1)} ({', '.join(parts)})."


def _alert(patient_id: int, alert: KeyedAlert) -> Alert:
    return Alert(
        patient_id=patient_id, kind=alert.kind, message=alert.message, dedupe_key=alert.dedupe_key
    )


def _insert(new: list[tuple[int, KeyedAlert]]) -> list[tuple[int, KeyedAlert]]:
    """Insert the alerts, returning those inserted. All at once; should another run have opened
    some of them meanwhile (the database refuses a second open copy), one by one, skipping
    those."""
    try:
        with transaction.atomic():
            Alert.objects.bulk_create(_alert(patient_id, alert) for patient_id, alert in new)
        return new
    except IntegrityError:
        pass
    inserted = []
    for patient_id, alert in new:
        try:
            with transaction.atomic():
                _alert(patient_id, alert).save()
        except IntegrityError:
            already_open = (
                Alert.objects.open()
                .filter(patient_id=patient_id, kind=alert.kind, dedupe_key=alert.dedupe_key)
                .exists()
            )
            if not already_open:
                raise  # a real broken rule, not a twin run
            continue
        inserted.append((patient_id, alert))
    return inserted


def run_checks(*, today: dt.date, silence_days: int = SILENCE_DAYS) -> CheckRun:
    """Open every alert the daily checks find due, in one transaction and a fixed number of
    queries however many patients there are, then work out every patient's triage for the
    day. Safe to run again: nothing is opened twice."""
    with transaction.atomic():
        facts = load_facts(today)
        due = [
            (item.patient_id, alert)
            for item in facts
            for alert in due_alerts(item, today=today, silence_days=silence_days)
        ]
        known = (
            Alert.objects.filter(
                patient__plans__status=PlanStatus.ACTIVE,
                dedupe_key__in={alert.dedupe_key for _, alert in due},
            )
            .filter(Q(acknowledged_at__isnull=True) | Q(kind__in=ONE_FACT_KINDS))
            .values_list("patient_id", "kind", "dedupe_key", "acknowledged_at")
        )
        new = to_open(due, [(p, kind, key, acked is None) for p, kind, key, acked in known])
        inserted = _insert(new) if new else []
        mark_stale({patient_id for patient_id, _ in inserted})  # a bulk insert sends no signal
        alerts_opened(_alert(patient_id, alert) for patient_id, alert in inserted)
        refresh_everyone(today=today)
    return CheckRun(
        patients=len({item.patient_id for item in facts}),
        opened=Counter(alert.kind for _, alert in inserted),
    )
