"""The plans as FHIR: one CarePlan per plan followed, and the weekly Goal they work towards.

The CarePlan is the Physical Activity guide's: category physical activity (the guide's code)
and US Core's "assessment and plan of treatment", which the guide's profile builds on. Each
prescription is an activity coded Exercise therapy (SNOMED CT 229065009, as the clinical brief
says), with the activity's name as its text, and the physician's clearance is a note.

The Goal is 150 minutes of moderate activity a week (WHO). Its lifecycle follows the plans:
active while one is active, on hold when none is but one is paused, completed once every
plan is completed. Its achievement is the last completed week's: achieved at 150 minutes or
more, else in progress, or not achieved once the goal is completed.
"""

from __future__ import annotations

from django.template.defaultfilters import pluralize
from fhir.resources.R4B.careplan import CarePlan, CarePlanActivity, CarePlanActivityDetail
from fhir.resources.R4B.goal import Goal, GoalTarget

from tracker.integrations.fhir import codes
from tracker.integrations.fhir.records import PatientRecord
from tracker.integrations.fhir.shared import day_in_words, local, ref
from tracker.models import Plan, PlanStatus
from tracker.rules.thresholds import WEEKLY_GOAL_MINUTES

PLAN_STATUS = {
    PlanStatus.ACTIVE: "active",
    PlanStatus.PAUSED: "on-hold",
    PlanStatus.COMPLETED: "completed",
}
GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"


def goal_lifecycle(plans: list[Plan]) -> str:
    """The Goal's lifecycleStatus from the plans followed (drafts left out, at least one)."""
    statuses = {plan.status for plan in plans}
    if PlanStatus.ACTIVE in statuses:
        return "active"
    if PlanStatus.PAUSED in statuses:
        return "on-hold"
    return "completed"


def goal(record: PatientRecord, patient: str) -> Goal:
    lifecycle = goal_lifecycle(record.plans)
    last = record.weeks[-1] if record.weeks else None
    achievement = None
    if last is not None:
        if last.minutes >= WEEKLY_GOAL_MINUTES:
            code = "achieved"
        else:
            code = "not-achieved" if lifecycle == "completed" else "in-progress"
        achievement = {"coding": [{"system": GOAL_ACHIEVEMENT, "code": code}]}
    return Goal(
        lifecycleStatus=lifecycle,
        achievementStatus=achievement,
        category=[codes.CATEGORY_PHYSICAL_ACTIVITY.concept()],
        description={"text": f"{WEEKLY_GOAL_MINUTES} minutes of moderate activity a week"},
        subject=ref(patient),
        startDate=min(plan.starts_on for plan in record.plans),
        target=[
            GoalTarget(
                measure=codes.MINUTES_PER_WEEK.concept(),
                detailQuantity=codes.MIN_PER_WEEK.quantity(WEEKLY_GOAL_MINUTES),
            )
        ],
    )


def care_plan(plan: Plan, patient: str, goal_url: str | None, supervised: bool) -> CarePlan:
    period = {"start": plan.starts_on.isoformat()}
    if plan.status == PlanStatus.COMPLETED and plan.status_changed_at:
        period["end"] = local(plan.status_changed_at).date().isoformat()
    clearance = plan.clearance
    cleared = (
        f"Cleared by {clearance.physician_name} ({clearance.physician_registration}) from "
        f"{day_in_words(clearance.cleared_on)} to {day_in_words(clearance.valid_until)}; "
        f"longest session {clearance.max_session_minutes} minutes"
    )
    if clearance.max_heart_rate:
        cleared += f"; highest heart rate {clearance.max_heart_rate} beats per minute"
    cleared += "; high-impact activity " + (
        "allowed" if clearance.high_impact_allowed else "not allowed"
    )
    if clearance.restrictions:
        cleared += f". {clearance.restrictions}"
    return CarePlan(
        status=PLAN_STATUS[plan.status],
        intent="plan",
        category=[
            codes.CATEGORY_PHYSICAL_ACTIVITY.concept(),
            codes.CATEGORY_ASSESS_PLAN.concept(),
        ],
        title=plan.title,
        description=plan.notes or None,
        subject=ref(patient),
        period=period,
        created=local(plan.created_at).isoformat(timespec="seconds"),
        goal=[ref(goal_url)] if goal_url else None,
        note=[{"text": cleared.rstrip(".") + "."}],
        activity=[
            CarePlanActivity(detail=_activity(plan, p, supervised))
            for p in plan.prescriptions.all()
        ]
        or None,
    )


def _activity(plan: Plan, prescription, supervised: bool) -> CarePlanActivityDetail:
    if prescription.suspended_on:
        status = "stopped"
    elif plan.status == PlanStatus.COMPLETED:
        status = "completed"
    elif plan.status == PlanStatus.PAUSED:
        status = "on-hold"
    else:
        status = "in-progress"
    name = prescription.activity.name
    growth = (
        "raised by the physiotherapist (supervised plan)"
        if supervised
        else f"growing by up to {prescription.weekly_progression_percent}% a week"
    )
    sessions = f"{prescription.sessions_per_week} session" + pluralize(
        prescription.sessions_per_week
    )
    words = (
        f"{name}, {sessions} a week, from "
        f"{prescription.start_minutes} minutes a session, {growth}, up to "
        f"{prescription.max_minutes} minutes; effort {prescription.effort_min} to "
        f"{prescription.effort_max} on the Borg 6-20 scale."
    )
    if prescription.suspended_on:
        words += (
            f" Set aside on {day_in_words(prescription.suspended_on)}: "
            f"{prescription.suspended_reason}"
        )
    if prescription.note:
        words += f" {prescription.note}"
    return CarePlanActivityDetail(
        code={"coding": [codes.EXERCISE_THERAPY.coding()], "text": name},
        status=status,
        description=words,
        scheduledTiming={
            "repeat": {
                "frequency": prescription.sessions_per_week,
                "period": 1,
                "periodUnit": "wk",
                "duration": prescription.start_minutes,
                "durationMax": prescription.max_minutes,
                "durationUnit": "min",
            }
        },
    )
