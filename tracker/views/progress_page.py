"""What both audiences' progress pages show: one builder, so patient and clinician see the
same numbers."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone

from tracker.charts import progress_charts
from tracker.models import Plan, PlanStatus, Prescription, User
from tracker.progress import load_progress, summaries

RANGE_CHOICES = [("4", "4 weeks"), ("12", "12 weeks"), ("all", "All")]
REGION = "progress"


def followed_plan(patient: User) -> Plan | None:
    """The active or paused plan the progress is measured against."""
    return (
        Plan.objects.filter(patient=patient, status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED])
        .select_related("clearance")
        .prefetch_related(
            "clearance__activities",
            Prefetch("prescriptions", Prescription.objects.select_related("activity")),
        )
        .order_by("status", "-starts_on")
        .first()
    )


def progress_context(request: HttpRequest, patient: User) -> dict:
    progress = load_progress(
        patient,
        plan=followed_plan(patient),
        today=timezone.localdate(),
        range_key=request.GET.get("range", "12"),
    )
    return {
        "patient": patient,
        "progress": progress,
        "charts": progress_charts(progress),
        "summaries": summaries(progress),
        "ranges": RANGE_CHOICES,
    }
