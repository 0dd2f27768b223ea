"""The patient's own progress, and the limb measurements they take themselves."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from tracker.access import patient_required
from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.forms.measurements import MeasurementForm
from tracker.models import AuditAction, Measurement
from tracker.queries.progress import REGION, progress_context
from tracker.views.htmx import render_region


@require_GET
@patient_required
def progress(request: HttpRequest) -> HttpResponse:
    context = progress_context(request, request.user)
    context.update(viewer_is_patient=True, form=MeasurementForm(self_measured=True))
    return render_region(request, "tracker/patient/progress.html", REGION, context)


@require_http_methods(["POST"])
@patient_required
def measure(request: HttpRequest) -> HttpResponse:
    form = MeasurementForm(request.POST, patient=request.user, self_measured=True)
    if form.is_valid():
        _, created = save_once(
            Measurement,
            form.cleaned_data.get("request_key"),
            lambda: form.save_for(patient=request.user, recorded_by=request.user),
        )
        if created:
            audit.record(
                actor=request.user,
                patient=request.user,
                action=AuditAction.CHANGE,
                what="new measurement",
            )
            messages.success(request, "Measurement saved. Your physiotherapist will see it.")
        else:
            messages.info(request, "This measurement was already saved.")
        return redirect("progress")
    context = progress_context(request, request.user)
    context.update(viewer_is_patient=True, form=form)
    return render_region(request, "tracker/patient/progress.html", REGION, context)
