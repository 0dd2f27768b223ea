"""A newer clearance supersedes the older ones, and the patient's plans are re-checked
against it: prescriptions above its longest session are lowered, activities it no longer
allows are set aside (suspended), and an active plan with nothing left is paused.

`recheck` is the rule, over plain values; `apply_new_clearance` is the write, in one
transaction with the clearance itself."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tracker.models import (
    Clearance,
    Plan,
    PlanChange,
    PlanStatus,
    Prescription,
    User,
)
from tracker.rules.clearances import Recheck, recheck
from tracker.rules.plans import Limits

RECHECKED = [PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED]


def _later_clearance(clearance: Clearance) -> Clearance | None:
    """A clearance given after this one's date and still in force: it wins."""
    return (
        Clearance.objects.filter(
            patient_id=clearance.patient_id,
            cleared_on__gt=clearance.cleared_on,
            superseded_on__isnull=True,
        )
        .exclude(pk=clearance.pk)
        .order_by("cleared_on", "pk")
        .first()
    )


def _summary(clearance: Clearance, recheck_result: Recheck) -> str:
    head = (
        f"Moved onto the clearance from {clearance.physician_name} of "
        f"{clearance.cleared_on:%-d %B %Y}"
    )
    if not recheck_result.details:
        return f"{head}; nothing else changed."
    count = len(recheck_result.details)
    return f"{head}: {count} change{'' if count == 1 else 's'}."


def apply_new_clearance(*, clearance: Clearance, by: User) -> list[PlanChange]:
    """Supersede every earlier clearance still current on this one's date, and move the
    patient's draft, active and paused plans onto it, re-checked. One PlanChange per plan.
    `by` recorded the clearance; the changes to the plans are the app's own."""
    with transaction.atomic():
        later = _later_clearance(clearance)
        if later is not None:
            # A letter recorded late: the newer clearance already in force stays in charge.
            Clearance.objects.filter(pk=clearance.pk).update(
                superseded_on=later.cleared_on, superseded_by=later
            )
            return []
        earlier = (
            Clearance.objects.filter(patient_id=clearance.patient_id)
            .current_on(clearance.cleared_on)
            .exclude(pk=clearance.pk)
        )
        old_rates = dict(earlier.values_list("pk", "max_heart_rate"))
        earlier.update(superseded_on=clearance.cleared_on, superseded_by=clearance)
        limits = Limits.of(Clearance.objects.prefetch_related("activities").get(pk=clearance.pk))
        plans = (
            Plan.objects.select_for_update()
            .filter(patient_id=clearance.patient_id, status__in=RECHECKED)
            .exclude(clearance=clearance)
            .order_by("pk")
        )
        now = timezone.now()
        today = timezone.localdate()
        written = []
        for plan in plans:
            old_rate = old_rates.get(plan.clearance_id, plan.clearance.max_heart_rate)
            result = recheck(
                prescriptions=plan.prescriptions.select_related("activity"),
                limits=limits,
                plan_status=plan.status,
                heart_rate=(old_rate, clearance.max_heart_rate),
            )
            for change in result.changes:
                Prescription.objects.filter(pk=change.prescription_id).update(
                    start_minutes=change.start_minutes,
                    max_minutes=change.max_minutes,
                    suspended_on=today if change.suspended_reason else None,
                    suspended_reason=change.suspended_reason,
                )
            plan.clearance = clearance
            fields = ["clearance", "updated_at"]
            if result.pause_reason:
                plan.status = PlanStatus.PAUSED
                plan.status_reason = result.pause_reason
                plan.status_changed_by = None
                plan.status_changed_at = now
                fields += ["status", "status_reason", "status_changed_by", "status_changed_at"]
            plan.save(update_fields=fields)
            written.append(
                PlanChange.objects.create(
                    plan=plan,
                    made_by=None,
                    clearance=clearance,
                    summary=_summary(clearance, result),
                    details=result.details,
                )
            )
    return written
