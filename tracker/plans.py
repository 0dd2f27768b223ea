"""Plan rules: what a clearance allows, when a plan may be active, and the changes to plans.

The rules are plain functions over plain values, so forms, the admin and views all call the
same code and tests need no request. The writes below them run each in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from tracker.models import (
    Activity,
    Alert,
    Clearance,
    PatientProfile,
    Plan,
    PlanChange,
    PlanHold,
    PlanStatus,
    PlanTemplate,
    Prescription,
    SessionLog,
    User,
)
from tracker.progression import WeekTarget, week_target

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


def can_log_against(plan: Plan, limits: Limits, today: dt.date) -> bool:
    return plan.status == PlanStatus.ACTIVE and limits.is_current(today)


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
    spans = list(alert_spans)
    manual = list(manual_spans)
    held = [supervised]
    reasons: list[str] = []
    for w in range(1, week + 1):
        week_start = starts_on + dt.timedelta(weeks=w)
        previous_start = week_start - dt.timedelta(weeks=1)
        why = []
        if supervised:
            why.append(SUPERVISED_REASON)
        if any(
            opened <= week_start and (closed is None or closed >= previous_start)
            for opened, closed in spans
        ):
            why.append(ALERT_REASON)
        if any(start <= week_start and (end is None or end > week_start) for start, end in manual):
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


def in_force(prescriptions: Iterable[Prescription], on: dt.date) -> list[Prescription]:
    """The prescriptions that count toward targets on `on`: not suspended by then."""
    return [p for p in prescriptions if p.suspended_on is None or p.suspended_on > on]


def sessions_by_plan_week(plan: Plan, per_day: Iterable[tuple[dt.date, int]]) -> dict[int, int]:
    """Sessions logged on the plan in each of its weeks (from 0), from (day, count) pairs."""
    by_week: dict[int, int] = {}
    for day, count in per_day:
        if day >= plan.starts_on:
            index = (day - plan.starts_on).days // 7
            by_week[index] = by_week.get(index, 0) + count
    return by_week


def plan_week_holds(
    plan: Plan,
    *,
    today: dt.date,
    supervised: bool,
    alert_spans: Iterable[tuple[dt.date, dt.date | None]],
    per_day: Iterable[tuple[dt.date, int]],
    manual_spans: Iterable[tuple[dt.date, dt.date | None]],
) -> WeekHolds:
    """week_holds for `plan` up to `today`, from what was read for it: the alerts' (opened,
    acknowledged) dates, its sessions as (day, count) and its manual holds."""
    return week_holds(
        starts_on=plan.starts_on,
        week=week_of_plan(plan, today),
        supervised=supervised,
        alert_spans=alert_spans,
        sessions_by_week=sessions_by_plan_week(plan, per_day),
        target_sessions=sum(p.sessions_per_week for p in in_force(plan.prescriptions.all(), today)),
        manual_spans=manual_spans,
    )


def load_week_holds(plan: Plan, *, today: dt.date, supervised: bool) -> WeekHolds:
    """The data week_holds needs, in a fixed number of queries however long the plan has run."""
    spans = [
        (timezone.localdate(opened), timezone.localdate(closed) if closed else None)
        for opened, closed in Alert.objects.filter(patient_id=plan.patient_id)
        .filter(
            Q(acknowledged_at__isnull=True)
            | Q(acknowledged_at__date__gte=plan.starts_on - dt.timedelta(weeks=1))
        )
        .values_list("opened_at", "acknowledged_at")
    ]
    per_day = (
        SessionLog.objects.current()
        .filter(plan=plan, date__gte=plan.starts_on, date__lte=today)
        .values("date")
        .annotate(count=Count("pk"))
        .values_list("date", "count")
    )
    return plan_week_holds(
        plan,
        today=today,
        supervised=supervised,
        alert_spans=spans,
        per_day=per_day,
        manual_spans=plan.holds.values_list("starts_on", "ends_on"),
    )


# Writes ---------------------------------------------------------------------------------


class PlanRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _limits_for(plan: Plan) -> Limits:
    return Limits.of(Clearance.objects.prefetch_related("activities").get(pk=plan.clearance_id))


def _other_active_plan(plan: Plan) -> str | None:
    other = (
        Plan.objects.filter(patient_id=plan.patient_id, status=PlanStatus.ACTIVE)
        .exclude(pk=plan.pk)
        .values_list("title", flat=True)
        .first()
    )
    return other


def _check_clearance_is_the_patients(clearance: Clearance, patient_id: int) -> None:
    if clearance.patient_id != patient_id:
        raise PlanRefused(["This clearance was given for another patient."])


STATUS_SUMMARIES = {
    PlanStatus.ACTIVE: "Plan made active",
    PlanStatus.PAUSED: "Plan paused",
    PlanStatus.COMPLETED: "Plan completed",
}


def change_status(
    *, plan: Plan, to: str, today: dt.date, by: User | None = None, reason: str = ""
) -> Plan:
    """Move a plan through draft → active ⇄ paused → completed, under the clearance rules.
    Keeps who moved it, when, and the reason the patient reads, and writes a PlanChange.
    Raises PlanRefused with every reason when the move is not allowed."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if to not in ALLOWED_MOVES[plan.status]:
            now = plan.get_status_display().lower()
            wanted = PlanStatus(to).label.lower() if to in PlanStatus.values else to
            article = "An" if now[0] in "aeiou" else "A"
            raise PlanRefused([f"{article} {now} plan cannot be made {wanted}."])
        if to == PlanStatus.ACTIVE:
            _check_clearance_is_the_patients(plan.clearance, plan.patient_id)
            problems = activation_problems(
                limits=_limits_for(plan),
                prescriptions=[
                    PrescriptionFacts(p.activity, p.start_minutes, p.max_minutes)
                    for p in plan.prescriptions.select_related("activity")
                ],
                today=today,
                other_active_plan=_other_active_plan(plan),
            )
            if problems:
                raise PlanRefused(problems)
        resumed = plan.status == PlanStatus.PAUSED and to == PlanStatus.ACTIVE
        plan.status = to
        plan.status_reason = reason.strip()
        plan.status_changed_by = by
        plan.status_changed_at = timezone.now()
        try:
            with transaction.atomic():
                plan.save(
                    update_fields=[
                        "status",
                        "status_reason",
                        "status_changed_by",
                        "status_changed_at",
                        "updated_at",
                    ]
                )
        except IntegrityError:
            # Another request activated a plan for this patient at the same moment.
            raise PlanRefused(
                ["The patient already has an active plan. Pause or complete it first."]
            ) from None
        who = by.display_name if by is not None else "The clinic"
        if resumed:
            sentence = f"{who} resumed the plan."
        elif to == PlanStatus.ACTIVE:
            sentence = ""  # the summary says it all: nothing to tell the patient about
        else:
            done = PlanStatus(to).label.lower()
            sentence = f"{who} {done} the plan" + (
                f": {plan.status_reason}" if plan.status_reason else "."
            )
        PlanChange.objects.create(
            plan=plan,
            made_by=by,
            summary="Plan resumed" if resumed else STATUS_SUMMARIES[to],
            details=[sentence] if sentence else [],
        )
    return plan


LAST_ACTIVITY = (
    "This is the plan's last activity, and an active plan needs one to follow. "
    "Pause or complete the plan instead, or add another activity first."
)


def remove_prescription(*, plan: Plan, prescription_id: int) -> bool:
    """Take an activity out of a plan. An active plan keeps at least one activity that is
    not suspended: removing its last one raises PlanRefused. False if it was already gone."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        target = plan.prescriptions.filter(pk=prescription_id).first()
        if target is None:
            return False  # a double tap: removed the first time
        if plan.status == PlanStatus.ACTIVE and target.suspended_on is None:
            others = plan.prescriptions.filter(suspended_on__isnull=True).exclude(pk=target.pk)
            if not others.exists():
                raise PlanRefused([LAST_ACTIVITY])
        target.delete()
    return True


def create_plan(
    *,
    patient: User,
    clearance: Clearance,
    title: str,
    starts_on: dt.date,
    created_by: User,
    template: PlanTemplate | None = None,
    notes: str = "",
    request_key: uuid.UUID | None = None,
) -> tuple[Plan, list[str]]:
    """A draft plan, filled from `template` where the clearance allows. Returns the plan and
    a sentence for each template item left out or changed, saying why."""
    _check_clearance_is_the_patients(clearance, patient.pk)
    limits = Limits.of(clearance)
    left_out: list[str] = []
    with transaction.atomic():
        plan = Plan.objects.create(
            patient=patient,
            clearance=clearance,
            title=title,
            starts_on=starts_on,
            created_by=created_by,
            notes=notes,
            request_key=request_key,
        )
        if template is not None:
            for item in template.prescriptions.select_related("activity"):
                # A maximum above the clearance's longest session is lowered to it; anything
                # else the clearance refuses leaves the item out.
                max_minutes = min(item.max_minutes, limits.max_session_minutes)
                problems = prescription_problems(
                    activity=item.activity,
                    start_minutes=item.start_minutes,
                    max_minutes=max_minutes,
                    limits=limits,
                )
                if problems:
                    reasons = " ".join(problems.values())
                    left_out.append(f"{item.activity.name} was left out: {reasons}")
                    continue
                if max_minutes < item.max_minutes:
                    left_out.append(
                        f"{item.activity.name}: the most minutes per session was lowered from "
                        f"{item.max_minutes} to {max_minutes}, the clearance's longest session."
                    )
                Prescription.objects.create(
                    plan=plan,
                    activity=item.activity,
                    sessions_per_week=item.sessions_per_week,
                    start_minutes=item.start_minutes,
                    max_minutes=max_minutes,
                    weekly_progression_percent=item.weekly_progression_percent,
                    effort_min=item.effort_min,
                    effort_max=item.effort_max,
                )
    return plan, left_out


def hold_progression(*, plan: Plan, by: User, today: dt.date, reason: str = "") -> None:
    """Stop the plan's targets growing from today until resumed. Holding twice holds once."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if not plan.holds.filter(ends_on__isnull=True).exists():
            PlanHold.objects.create(plan=plan, starts_on=today, held_by=by, reason=reason)


def resume_progression(*, plan: Plan, today: dt.date) -> None:
    """Let the targets grow again from the next plan week."""
    PlanHold.objects.filter(plan=plan, ends_on__isnull=True).update(ends_on=today)
