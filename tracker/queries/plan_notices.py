"""What the patient is told about changes to their plan: a newer clearance's re-check, who
paused it and why, a plan that is finished. Read once per page, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from tracker.models import Plan, PlanChange, PlanStatus, User

NOTICE_DAYS = 14  # a clearance's changes are told for a fortnight


def recent_clearance_change(plan: Plan | None, *, today: dt.date) -> PlanChange | None:
    """The latest change a new clearance made to the plan in the last fortnight, with
    something to tell."""
    if plan is None:
        return None
    since = today - dt.timedelta(days=NOTICE_DAYS)
    latest = (
        PlanChange.objects.filter(plan=plan, clearance__isnull=False, made_at__date__gte=since)
        .order_by("-made_at", "-pk")
        .first()
    )
    return latest if latest is not None and latest.details else None


def finished_plan(patient: User) -> Plan | None:
    """The patient's last completed plan, for when nothing else is current."""
    return (
        Plan.objects.filter(patient=patient, status=PlanStatus.COMPLETED)
        .select_related("status_changed_by")
        .order_by("-status_changed_at", "-pk")
        .first()
    )


def plan_notices(patient: User, plan: Plan | None, *, today: dt.date) -> dict:
    """For Today and My plan: `plan_change` (a new clearance's re-check) and, without a
    current plan, `finished_plan`."""
    if plan is None:
        return {"plan_change": None, "finished_plan": finished_plan(patient)}
    return {"plan_change": recent_clearance_change(plan, today=today), "finished_plan": None}
