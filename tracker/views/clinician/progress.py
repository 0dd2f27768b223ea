"""A patient's progress as the care team sees it, measurements, and the printable report."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tracker.access import clinician_required, patient_for
from tracker.domain.measurements import add_measurement
from tracker.forms.measurements import MeasurementForm
from tracker.queries.progress import REGION, progress_context
from tracker.queries.report import report_context
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
    context = report_context(patient, viewer=request.user, range_key=request.GET.get("range", "12"))
    return render(request, "tracker/clinician/report.html", context)


def _their_progress(request: HttpRequest, patient) -> dict:
    """The progress builder over the weeks the page's `range` asks for (12 by default)."""
    return progress_context(patient, viewer=request.user, range_key=request.GET.get("range", "12"))
