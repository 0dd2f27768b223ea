"""A patient's progress as the care team sees it, measurements, and the printable report."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tracker.access import clinician_required, patient_for
from tracker.domain.measurements import add_measurement
from tracker.forms.measurements import MeasurementForm
from tracker.queries.history import ended_on
from tracker.queries.progress import REGION, progress_context
from tracker.queries.report import period_alerts
from tracker.views.htmx import render_region


@require_GET
@clinician_required
def progress(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id, reading="progress")
    context = _their_progress(request, patient)
    context.update(viewer_is_patient=False, form=MeasurementForm())
    return render_region(request, "tracker/clinician/progress.html", REGION, context)


@require_POST
@clinician_required
def measure(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    form = MeasurementForm(request.POST, patient=patient)
    if form.is_valid():
        _, created = add_measurement(patient=patient, by=request.user, **form.measurement())
        if created:
            messages.success(request, "Measurement saved.")
        else:
            messages.info(request, "This measurement was already saved.")
        return redirect("patient_progress", patient_id=patient.pk)
    context = _their_progress(request, patient)
    context.update(viewer_is_patient=False, form=form)
    return render(request, "tracker/clinician/progress.html", context)


@require_GET
@clinician_required
def report(request: HttpRequest, patient_id: int) -> HttpResponse:
    """One printable page for the referring physician."""
    patient = patient_for(request.user, patient_id, reading="progress report")
    context = _their_progress(request, patient)
    since = context["progress"].weeks[0].start
    plan = context["progress"].plan  # the plan of the period, if completed or paused since
    context.update(
        plan=plan,
        plan_ended_on=ended_on(plan) if plan is not None else None,
        profile=getattr(patient, "profile", None),
        today=timezone.localdate(),
        viewer_is_patient=False,
        period_start=since,
        period_alerts=list(period_alerts(patient, since=since)),
    )
    return render(request, "tracker/clinician/report.html", context)


def _their_progress(request: HttpRequest, patient) -> dict:
    """The progress builder over the weeks the page's `range` asks for (12 by default)."""
    return progress_context(patient, viewer=request.user, range_key=request.GET.get("range", "12"))
