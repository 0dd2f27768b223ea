"""What the report for the referring physician reads: the progress the care team sees over the
weeks asked for, the clearance it was measured against, and the period's alerts with how each
was handled. The print view (views/clinician/progress.py) and the PDF (integrations/pdf/) both
show `report_context`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from tracker.models import Alert, User
from tracker.queries.history import ended_on
from tracker.queries.progress import progress_context


def period_alerts(patient: User, *, since: dt.date) -> QuerySet[Alert]:
    """Every alert opened for the patient from `since` on (danger reports come with theirs),
    oldest first, with who acknowledged it: one query however many there are."""
    return (
        Alert.objects.filter(patient=patient, opened_at__date__gte=since)
        .select_related("danger_report", "acknowledged_by", "session__activity")
        .order_by("opened_at", "pk")
    )


@dataclass(frozen=True)
class Period:
    """The days the report covers: from the Monday of its first week to the day it is made.
    Of its `weeks`, the last is under way; of the others, `planned` had sessions planned
    (the weeks the keeping-up figures average over, rules/progress.py `summaries`) and
    `unplanned` had none (such as the weeks before the plan began)."""

    start: dt.date
    end: dt.date
    weeks: int
    planned: int = 0
    unplanned: int = 0


def report_context(patient: User, *, viewer: User, range_key: str = "12") -> dict:
    """The report of `patient` as `viewer` (of their care team, or an admin) makes it, over
    the weeks `range_key` names: a fixed number of queries however many sessions there are."""
    context = progress_context(patient, viewer=viewer, range_key=range_key)
    progress = context["progress"]
    today = timezone.localdate()
    plan = progress.plan  # the plan of the period, if completed or paused since
    finished = progress.weeks[:-1]
    planned = sum(1 for week in finished if week.target_sessions)
    period = Period(
        start=progress.weeks[0].start,
        end=today,
        weeks=len(progress.weeks),
        planned=planned,
        unplanned=len(finished) - planned,
    )
    context.update(
        plan=plan,
        plan_ended_on=ended_on(plan) if plan is not None else None,
        clearance=plan.clearance if plan is not None else None,
        profile=getattr(patient, "profile", None),
        today=today,
        viewer=viewer,
        viewer_is_patient=False,
        period=period,
        period_start=period.start,
        period_alerts=list(period_alerts(patient, since=period.start)),
    )
    return context
