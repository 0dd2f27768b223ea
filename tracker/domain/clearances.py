"""A newer clearance supersedes the older ones, and the patient's plans are re-checked
against it: prescriptions above its longest session are lowered, activities it no longer
allows are set aside (suspended), and an active plan with nothing left is paused.

`recheck` is the rule, over plain values; `apply_new_clearance` is the write, in one
transaction with the clearance itself, which `record_clearance` saves (once per form) and
writes to the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.models import (
    Activity,
    AuditAction,
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


class RecordedClearance(NamedTuple):
    clearance: Clearance
    changes: list[PlanChange]  # the plans moved onto it; empty when it was already recorded
    created: bool  # False: a second submission of the same form, which saved nothing


def record_clearance(
    *,
    patient: User,
    by: User,
    physician_name: str,
    physician_registration: str,
    cleared_on: dt.date,
    valid_until: dt.date,
    activities: Iterable[Activity],
    max_session_minutes: int,
    max_heart_rate: int | None = None,
    high_impact_allowed: bool = False,
    weight_bearing_allowed: bool = True,
    restrictions: str = "",
    letter: File | None = None,
    letter_content_type: str = "",
    request_key: uuid.UUID | None = None,
) -> RecordedClearance:
    """Record a physician's clearance of `patient`, as `by` entered it, and in the same
    transaction supersede the older ones and re-check the plans (`apply_new_clearance`).
    A second submission with the same request key saves nothing more."""
    changes: list[PlanChange] = []

    def create() -> Clearance:
        clearance = Clearance.objects.create(
            patient=patient,
            recorded_by=by,
            physician_name=physician_name,
            physician_registration=physician_registration,
            cleared_on=cleared_on,
            valid_until=valid_until,
            max_session_minutes=max_session_minutes,
            max_heart_rate=max_heart_rate,
            high_impact_allowed=high_impact_allowed,
            weight_bearing_allowed=weight_bearing_allowed,
            restrictions=restrictions,
            letter_content_type=letter_content_type,
            letter=letter or "",
            request_key=request_key,
        )
        clearance.activities.set(activities)
        changes.extend(apply_new_clearance(clearance=clearance, by=by))
        audit.record(actor=by, patient=patient, action=AuditAction.CHANGE, what="new clearance")
        return clearance

    clearance, created = save_once(Clearance, request_key, create)
    return RecordedClearance(clearance, changes, created)
