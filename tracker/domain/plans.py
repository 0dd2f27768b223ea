"""The writes to plans: creating one, changing its status, adding, changing and removing a
prescription, holding and resuming progression. Each runs in one transaction, refuses what the
rules in rules/plans.py refuse, and records in the audit trail who changed the plan (only when
something changed: a refusal, or a second tap that finds the work done, records nothing)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.models import (
    AuditAction,
    Clearance,
    Plan,
    PlanChange,
    PlanHold,
    PlanStatus,
    PlanTemplate,
    Prescription,
    User,
)
from tracker.rules.plans import (
    ALLOWED_MOVES,
    Limits,
    PrescriptionFacts,
    activation_problems,
    prescription_problems,
)


class PlanRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# What the patient reads on "who saw my record": "changed your plan", "added your plan".
AUDIT_WHAT = "plan"


def _changed(plan: Plan, by: User) -> None:
    audit.record(actor=by, patient=plan.patient_id, action=AuditAction.CHANGE, what=AUDIT_WHAT)


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
    Keeps who moved it, when, and the reason the patient reads, and writes a PlanChange and,
    when `by` is given, the audit row. Raises PlanRefused with every reason when the move is
    not allowed."""
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
        if by is not None:
            _changed(plan, by)
    return plan


LAST_ACTIVITY = (
    "This is the plan's last activity, and an active plan needs one to follow. "
    "Pause or complete the plan instead, or add another activity first."
)


def add_prescription(*, prescription: Prescription, by: User) -> Prescription:
    """Save a new prescription that PrescriptionForm checked against the plan's clearance."""
    with transaction.atomic():
        prescription.save()
        _changed(prescription.plan, by)
    return prescription


def change_prescription(*, prescription: Prescription, by: User) -> Prescription:
    """Save the changes PrescriptionForm checked, under the same clearance rules as adding."""
    with transaction.atomic():
        prescription.save()
        _changed(prescription.plan, by)
    return prescription


def remove_prescription(*, plan: Plan, prescription_id: int, by: User) -> bool:
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
        _changed(plan, by)
    return True


class NewPlan(NamedTuple):
    plan: Plan
    # A sentence for each template item left out or changed, saying why.
    left_out: list[str]
    # False when a plan with the same request key was already created (a second submission).
    created: bool


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
) -> NewPlan:
    """A draft plan by `created_by`, filled from `template` where the clearance allows. A
    second submission with the same request key creates nothing and returns the first plan."""
    _check_clearance_is_the_patients(clearance, patient.pk)
    limits = Limits.of(clearance)
    left_out: list[str] = []

    def create() -> Plan:
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
                    note=item.note,
                )
        what = audit.NEW + AUDIT_WHAT
        audit.record(actor=created_by, patient=patient, action=AuditAction.CHANGE, what=what)
        return plan

    plan, created = save_once(Plan, request_key, create)
    return NewPlan(plan, left_out if created else [], created)


def hold_progression(*, plan: Plan, by: User, today: dt.date, reason: str = "") -> None:
    """Stop the plan's targets growing from today until resumed. Holding twice holds once."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        if not plan.holds.filter(ends_on__isnull=True).exists():
            PlanHold.objects.create(plan=plan, starts_on=today, held_by=by, reason=reason)
            _changed(plan, by)


def resume_progression(*, plan: Plan, by: User, today: dt.date) -> None:
    """Let the targets grow again from the next plan week. Resuming twice resumes once."""
    with transaction.atomic():
        if PlanHold.objects.filter(plan=plan, ends_on__isnull=True).update(ends_on=today):
            _changed(plan, by)
