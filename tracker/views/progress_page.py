"""What both audiences' progress pages show: one builder, so patient and clinician see the
same numbers."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from tracker.charts import progress_charts
from tracker.models import Measurement, User
from tracker.progress import load_progress, summaries
from tracker.queries.history import current_in, plans_of

RANGE_CHOICES = [("4", "4 weeks"), ("12", "12 weeks"), ("all", "All")]
RANGE_SPOKEN = {"4": "the last 4 weeks", "12": "the last 12 weeks", "all": "every week"}
REGION = "progress"


def progress_context(request: HttpRequest, patient: User) -> dict:
    plans = plans_of(patient)
    progress = load_progress(
        patient,
        plan=current_in(plans),
        plans=plans,
        today=timezone.localdate(),
        range_key=request.GET.get("range", "12"),
    )
    # The range links name the page itself: the same body is also shown from the
    # measurement form's address, which answers only POST.
    if request.user.pk == patient.pk:
        page_url = reverse("progress")
        about = None
    else:
        page_url = reverse("patient_progress", kwargs={"patient_id": patient.pk})
        about = patient.first_name or patient.display_name  # the care team's pages
    notes = (
        Measurement.objects.filter(patient=patient)
        .exclude(notes="")
        .select_related("recorded_by")
        .order_by("-measured_on", "-pk")
    )
    return {
        "patient": patient,
        "page_url": page_url,
        "measurement_notes": list(notes),
        "progress": progress,
        "charts": progress_charts(progress),
        "summaries": summaries(progress, about=about),
        "ranges": RANGE_CHOICES,
        "announce": f"Showing {RANGE_SPOKEN[progress.range_key]}.",
    }
