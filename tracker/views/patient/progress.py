"""The patient's own progress, and the limb measurements they take themselves."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from tracker.access import patient_required
from tracker.domain.measurements import add_measurement
from tracker.forms.measurements import MeasurementForm
from tracker.queries.progress import REGION, progress_context
from tracker.views.htmx import render_region


@require_GET
@patient_required
def progress(request: HttpRequest) -> HttpResponse:
    context = _own_progress(request)
    context.update(viewer_is_patient=True, form=MeasurementForm(self_measured=True))
    return render_region(request, "tracker/patient/progress.html", REGION, context)


@require_http_methods(["POST"])
@patient_required
def measure(request: HttpRequest) -> HttpResponse:
    form = MeasurementForm(request.POST, patient=request.user, self_measured=True)
    if form.is_valid():
        _, created = add_measurement(patient=request.user, by=request.user, **form.measurement())
        if created:
            messages.success(request, "Measurement saved. Your physiotherapist will see it.")
        else:
            messages.info(request, "This measurement was already saved.")
        return redirect("progress")
    context = _own_progress(request)
    context.update(viewer_is_patient=True, form=form)
    return render_region(request, "tracker/patient/progress.html", REGION, context)


def _own_progress(request: HttpRequest) -> dict:
    return progress_context(
        request.user, viewer=request.user, range_key=request.GET.get("range", "12")
    )
