"""The daily checks: what the care team must hear about even when a patient logs nothing.

- No session logged for N days (5 by default): a silence alert.
- Fewer sessions than the adherence target in the plan's last completed week: an adherence
  alert.
- The plan's clearance runs out within 14 days, or has run out: a clearance alert.

Only patients with an active plan are checked. The rules are plain functions over plain values;
`run_checks` loads the facts for every such patient in a fixed number of queries and opens what
is due in one transaction. Each alert a check opens carries a key naming the fact it reports;
the database keeps one open alert per patient, kind and key, so running the checks twice opens
nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from tracker.models import Alert, AlertKind, Plan, PlanStatus, Prescription, SessionLog
from tracker.plans import ADHERENCE_TARGET, sessions_needed, week_of_plan
from tracker.safety import AlertSpec

SILENCE_DAYS = 5
CLEARANCE_WARNING_DAYS = 14
# Alerts whose key names one fact that never changes (a plan's week, a clearance's end): once
# a clinician has acknowledged one, the next run does not open it again. "No log for N days"
# is different: while the patient stays silent, a later run opens it again.
ONE_FACT_KINDS = frozenset({AlertKind.ADHERENCE, AlertKind.CLEARANCE})


@dataclass(frozen=True)
class KeyedAlert(AlertSpec):
    """An alert a check found due, with the key that keeps it to one open copy."""

    dedupe_key: str


@dataclass(frozen=True)
class PlanFacts:
    """What the checks know about one patient's active plan."""

    patient_id: int
    plan_id: int
    starts_on: dt.date
    week: int  # the plan's current week, from 0
    sessions_per_week: int  # all its prescriptions together
    last_week_sessions: int  # logged on this plan in its last completed week
    last_logged: dt.date | None  # the patient's latest session on any plan
    clearance_id: int
    physician_name: str
    cleared_on: dt.date
    valid_until: dt.date

    def clearance_covers(self, first: dt.date, last: dt.date) -> bool:
        return self.cleared_on <= first and last <= self.valid_until


def last_completed_week(starts_on: dt.date, week: int) -> tuple[int, dt.date, dt.date] | None:
    """The plan's last completed week as (index, first day, last day), or None in week 0."""
    if week < 1:
        return None
    first = starts_on + dt.timedelta(weeks=week - 1)
    return week - 1, first, first + dt.timedelta(days=6)


# Rules ----------------------------------------------------------------------------------


def silence_alert(facts: PlanFacts, *, today: dt.date, days: int) -> KeyedAlert | None:
    """No session for `days` days or more, counted from the last session or, if there was none
    since, from the day the plan started. Not while the clearance has lapsed: the patient has
    been told not to exercise, and the clearance alert says why."""
    if not facts.clearance_covers(today, today):
        return None
    since = max(facts.last_logged or facts.starts_on, facts.starts_on)
    quiet = (today - since).days
    if quiet < days:
        return None
    if facts.last_logged is not None and facts.last_logged >= facts.starts_on:
        message = f"No session logged for {quiet} days; the last was on {since:%a %-d %b}."
    else:
        message = f"No session logged since the plan started on {since:%a %-d %b} ({quiet} days)."
    return KeyedAlert(AlertKind.SILENCE, message, dedupe_key="silence")


def adherence_alert(facts: PlanFacts) -> KeyedAlert | None:
    """Fewer sessions than the adherence target in the plan's last completed week. Not for a
    week the clearance did not cover throughout: the patient could not log all of it."""
    last = last_completed_week(facts.starts_on, facts.week)
    if last is None or not facts.sessions_per_week:
        return None
    index, first, final = last
    needed = sessions_needed(facts.sessions_per_week)
    if facts.last_week_sessions >= needed or not facts.clearance_covers(first, final):
        return None
    return KeyedAlert(
        AlertKind.ADHERENCE,
        f"Week {index + 1} of the plan ({first:%a %-d %b} to {final:%a %-d %b}): "
        f"{facts.last_week_sessions} of {facts.sessions_per_week} planned sessions logged, "
        f"under the {ADHERENCE_TARGET:.0%} target ({needed} needed).",
        dedupe_key=f"adherence:{facts.plan_id}:{index}",
    )


def clearance_alert(facts: PlanFacts, *, today: dt.date) -> KeyedAlert | None:
    """The plan's clearance runs out within CLEARANCE_WARNING_DAYS, or already has."""
    days_left = (facts.valid_until - today).days
    by = f"The clearance by {facts.physician_name}"
    until = f"{facts.valid_until:%-d %b %Y}"
    if days_left < 0:
        return KeyedAlert(
            AlertKind.CLEARANCE,
            f"{by} ran out on {until}: the plan is suspended and the patient cannot log "
            "sessions until a new clearance is recorded.",
            dedupe_key=f"clearance:{facts.clearance_id}:expired",
        )
    if days_left <= CLEARANCE_WARNING_DAYS:
        when = "today" if days_left == 0 else f"in {days_left} day{'s' * (days_left != 1)}"
        return KeyedAlert(
            AlertKind.CLEARANCE,
            f"{by} runs out on {until} ({when}). Ask the physician to renew it.",
            dedupe_key=f"clearance:{facts.clearance_id}:expiring",
        )
    return None


def due_alerts(
    facts: PlanFacts, *, today: dt.date, silence_days: int = SILENCE_DAYS
) -> list[KeyedAlert]:
    """Every alert the checks find due for one patient, most urgent kind first."""
    found = [
        adherence_alert(facts),
        silence_alert(facts, today=today, days=silence_days),
        clearance_alert(facts, today=today),
    ]
    return [alert for alert in found if alert is not None]


def to_open(
    due: Iterable[tuple[int, KeyedAlert]], known: Iterable[tuple[int, str, str, bool]]
) -> list[tuple[int, KeyedAlert]]:
    """Of the (patient, alert) pairs due, those to open: not while the same one is open, and
    not again once acknowledged if its key names one fact. `known` are the existing alerts
    with these keys, as (patient id, kind, key, is open)."""
    blocked = {
        (patient_id, kind, key)
        for patient_id, kind, key, is_open in known
        if is_open or kind in ONE_FACT_KINDS
    }
    return [
        (patient_id, alert)
        for patient_id, alert in due
        if (patient_id, alert.kind, alert.dedupe_key) not in blocked
    ]


# Loading and writing ----------------------------------------------------------------------


def _last_week_filter(today: dt.date) -> Q:
    """Sessions in each plan's last completed week, as one condition for all plans.

    Plan weeks start on the plan's start day, so a plan that started on the weekday of
    `today - r` (r from 0 to 6) is r days into its current week, and its last completed week
    is the seven days before that. Seven weekdays, seven cases."""
    condition = Q()
    for r in range(7):
        current_week_starts = today - dt.timedelta(days=r)
        condition |= Q(
            starts_on__iso_week_day=current_week_starts.isoweekday(),
            sessions__date__gte=current_week_starts - dt.timedelta(weeks=1),
            sessions__date__lt=current_week_starts,
        )
    return Q(sessions__deleted_at__isnull=True) & condition


def load_facts(today: dt.date) -> list[PlanFacts]:
    """The facts for every active patient with an active plan, in two queries."""
    sessions_per_week = (
        Prescription.objects.filter(plan=OuterRef("pk"))
        .values("plan")
        .annotate(total=Sum("sessions_per_week"))
        .values("total")
    )
    plans = list(
        Plan.objects.filter(status=PlanStatus.ACTIVE, patient__is_active=True)
        .select_related("clearance")
        .annotate(
            sessions_per_week=Coalesce(Subquery(sessions_per_week, output_field=IntegerField()), 0),
            last_week_sessions=Count("sessions", filter=_last_week_filter(today)),
        )
        .order_by("patient_id")
    )
    last_logged = dict(
        SessionLog.objects.current()
        .filter(patient__plans__status=PlanStatus.ACTIVE)  # one active plan per patient
        .values("patient_id")
        .annotate(last=Max("date"))
        .values_list("patient_id", "last")
    )
    return [
        PlanFacts(
            patient_id=plan.patient_id,
            plan_id=plan.pk,
            starts_on=plan.starts_on,
            week=week_of_plan(plan, today),
            sessions_per_week=plan.sessions_per_week,
            last_week_sessions=plan.last_week_sessions,
            last_logged=last_logged.get(plan.patient_id),
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
    queries however many patients there are. Safe to run again: nothing is opened twice."""
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
    return CheckRun(
        patients=len({item.patient_id for item in facts}),
        opened=Counter(alert.kind for _, alert in inserted),
    )
