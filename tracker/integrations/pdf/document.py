"""What the report for the referring physician says: the progress the care team sees, over
the weeks the report page asks for, the clearance it was measured against, and the period's
alerts. The browser's print view shows the same reads (tracker/views/clinician/progress.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from tracker.models import User
from tracker.queries.history import ended_on
from tracker.queries.progress import progress_context
from tracker.queries.report import period_alerts


@dataclass(frozen=True)
class Period:
    """The days the report covers: from the Monday of its first week to the day it is made."""

    start: dt.date
    end: dt.date
    weeks: int


def report_context(patient: User, *, viewer: User, range_key: str = "12") -> dict:
    """The report of `patient` as `viewer` (of their care team, or an admin) makes it, over
    the weeks `range_key` names: a fixed number of queries however many sessions there are."""
    context = progress_context(patient, viewer=viewer, range_key=range_key)
    progress = context["progress"]
    today = timezone.localdate()
    plan = progress.plan  # the plan of the period, if completed or paused since
    period = Period(start=progress.weeks[0].start, end=today, weeks=len(progress.weeks))
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


def file_name(patient: User, *, on: dt.date) -> str:
    """The download's name: the patient and the day, in letters any system can keep
    ("progress-report-anna-novak-2026-12-02.pdf")."""
    name = slugify(patient.display_name) or f"patient-{patient.pk}"
    return f"progress-report-{name}-{on.isoformat()}.pdf"
