"""A newer clearance supersedes the older ones, and the patient's plans are re-checked
against it: prescriptions above its longest session are lowered, activities it no longer
allows are set aside (suspended), and an active plan with nothing left is paused.

`recheck` is the rule, over plain values; `apply_new_clearance` is the write, in one
transaction with the clearance itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tracker.models import (
    Activity,
    Clearance,
    Plan,
    PlanChange,
    PlanStatus,
    Prescription,
    User,
)
from tracker.plans import Limits, activity_problem

RECHECKED = [PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED]


@dataclass(frozen=True)
class PrescriptionChange:
    """What one prescription becomes under the new clearance."""

    prescription_id: int
    start_minutes: int
    max_minutes: int
    suspended_reason: str  # empty: the activity may be logged
    sentence: str
    resumed: bool = False


@dataclass(frozen=True)
class Recheck:
    changes: tuple[PrescriptionChange, ...]
    pause_reason: str  # empty: the plan keeps its status
    heart_rate_sentence: str = ""
    pause_sentence: str = ""

    @property
    def details(self) -> list[str]:
        """One plain sentence per change, for the patient and the care team alike."""
        sentences = [c.sentence for c in self.changes]
        if self.heart_rate_sentence:
            sentences.append(self.heart_rate_sentence)
        if self.pause_sentence:
            sentences.append(self.pause_sentence)
        return sentences


def why_not_allowed(activity: Activity, limits: Limits) -> str:
    """Why the new clearance sets `activity` aside, in words a patient reads; "" if it is
    allowed. `activity_problem` decides; this only words it for the plan change."""
    if activity_problem(activity, limits) is None:
        return ""
    name = activity.name.lower()
    if not activity.is_active:
        return f"The clinic no longer offers {name}."
    if activity.pk not in limits.allowed_activity_ids:
        return f"The new clearance does not include {name}."
    if activity.is_high_impact and not limits.high_impact_allowed:
        return f"The new clearance does not allow high-impact exercise such as {name}."
    return f"The new clearance does not allow weight-bearing exercise such as {name}."


def recheck(
    *,
    prescriptions: Iterable[Prescription],
    limits: Limits,
    plan_status: str,
    heart_rate: tuple[int | None, int | None] = (None, None),
) -> Recheck:
    """What the plan's prescriptions become under `limits`, the new clearance's. `heart_rate`
    is the old and the new highest heart rate; (None, None) says nothing about it."""
    source = f"The new clearance from {limits.physician_name}"
    cap = limits.max_session_minutes
    changes = []
    left = 0
    for p in prescriptions:
        name = p.activity.name.lower()
        start, most = min(p.start_minutes, cap), min(p.max_minutes, cap)
        was_suspended = p.suspended_on is not None
        if reason := why_not_allowed(p.activity, limits):
            if not was_suspended:
                sentence = f"{reason.removesuffix('.')}, so {name} is set aside for now."
                changes.append(
                    PrescriptionChange(p.pk, p.start_minutes, p.max_minutes, reason, sentence)
                )
            continue
        left += 1
        if was_suspended:
            sentence = f"{source} allows {name} again, up to {most} minutes."
            changes.append(PrescriptionChange(p.pk, start, most, "", sentence, resumed=True))
        elif start < p.start_minutes:
            sentence = (
                f"{source} sets the longest session at {cap} minutes, so {name} now starts "
                f"at {cap} minutes and stays there."
            )
            changes.append(PrescriptionChange(p.pk, start, most, "", sentence))
        elif most < p.max_minutes:
            sentence = (
                f"{source} sets the longest session at {cap} minutes, so {name} now goes up "
                f"to {cap} minutes."
            )
            changes.append(PrescriptionChange(p.pk, start, most, "", sentence))
    old_rate, new_rate = heart_rate
    rate_sentence = ""
    if new_rate is not None and new_rate != old_rate:
        rate_sentence = f"{source} sets the highest heart rate at {new_rate} beats a minute."
    elif new_rate is None and old_rate is not None:
        rate_sentence = f"{source} sets no heart-rate limit."
    pause_reason = pause_sentence = ""
    if plan_status == PlanStatus.ACTIVE and left == 0:
        pause_reason = f"{source} allows none of this plan's activities."
        pause_sentence = (
            f"{pause_reason.removesuffix('.')}, so the plan is paused until the "
            "physiotherapist changes it."
        )
    return Recheck(
        changes=tuple(changes),
        pause_reason=pause_reason,
        heart_rate_sentence=rate_sentence,
        pause_sentence=pause_sentence,
    )


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
