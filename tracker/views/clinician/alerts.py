"""Acknowledging an alert: who, when, and a note, kept in the patient's history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tracker import audit
from tracker.access import alert_for, clinician_required, patients_visible_to
from tracker.forms import AcknowledgeForm
from tracker.logbook import acknowledge_alert
from tracker.models import Alert, AuditAction
from tracker.views.htmx import wants_partial


@require_GET
@clinician_required
def queue(request: HttpRequest) -> HttpResponse:
    """Every open alert across my patients, oldest first."""
    alerts = list(
        Alert.objects.open()
        .filter(patient__in=patients_visible_to(request.user))
        .select_related("patient", "session", "danger_report")
        .order_by("opened_at", "pk")
    )
    return render(request, "tracker/clinician/alerts.html", {"alerts": alerts})


@require_POST
@clinician_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for(request.user, pk)
    in_queue = request.POST.get("show_patient") == "1"
    # Without htmx, back to where the physiotherapist was working: the queue or the record.
    back = redirect("alert_queue") if in_queue else redirect("patient_record", alert.patient_id)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        done = acknowledge_alert(alert=alert, by=request.user, note=form.cleaned_data["note"])
        if done:
            audit.record(request, patient=alert.patient, action=AuditAction.CHANGE, what="alert")
        if not wants_partial(request):
            if done:
                messages.success(request, "Alert acknowledged.")
            return back
        alert.refresh_from_db()
        context = {"alert": alert, "focus": True, "announce": "Alert acknowledged."}
    elif not wants_partial(request):
        messages.error(request, form.errors["note"][0])
        return back
    else:
        context = {"alert": alert, "ack_form": form, "announce": form.errors["note"][0]}
    context["show_patient"] = in_queue
    if in_queue:  # the queue's heading counts what is still open
        still_open = Alert.objects.open().filter(patient__in=patients_visible_to(request.user))
        context["open_count"] = f"{still_open.count()} open"
    # In place: focus stays where the physiotherapist was working, and a screen reader hears
    # what changed.
    return render(request, "tracker/includes/alert_item.html", context)
