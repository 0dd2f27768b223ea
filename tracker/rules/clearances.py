"""Clearances over plain values: where one stands on a day (in force, superseded, running
out), and a new clearance's re-check, which prescriptions go above its longest session and
which activities it no longer allows. domain/clearances.py applies the re-check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.models import (
    Activity,
    PlanStatus,
    Prescription,
)
from tracker.rules.plans import Limits, activity_problem
from tracker.rules.thresholds import CLEARANCE_WARNING_DAYS


@dataclass(frozen=True)
class Standing:
    """Where a clearance stands on one day, as the patient's record shows it."""

    superseded: bool  # a newer clearance has replaced it from its own date
    current: bool  # in force today: begun, not run out, not superseded
    days_left: int  # until it runs out; negative once it has
    expiring: bool  # in force, and runs out within CLEARANCE_WARNING_DAYS


def standing(
    *, cleared_on: dt.date, valid_until: dt.date, superseded_on: dt.date | None, today: dt.date
) -> Standing:
    superseded = superseded_on is not None and superseded_on <= today
    current = cleared_on <= today <= valid_until and not superseded
    days_left = (valid_until - today).days
    return Standing(
        superseded=superseded,
        current=current,
        days_left=days_left,
        expiring=current and days_left <= CLEARANCE_WARNING_DAYS,
    )


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
