"""Acknowledging an alert: who, when, and a note, kept in the patient's history."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tracker.access import alert_for, clinician_required, patients_visible_to
from tracker.domain import audit
from tracker.domain.alerts import acknowledge_alert, record_attempt
from tracker.forms import AcknowledgeForm
from tracker.models import Alert, AuditAction
from tracker.queries.alerts import alert_with_contact, alerts_shown
from tracker.views.clinician.records import record_context
from tracker.views.htmx import swaps_region

# The same form sent again (Back, then the button again), or someone else closed it first.
ALREADY_CLOSED = "This alert was already acknowledged."


@require_GET
@clinician_required
def queue(request: HttpRequest) -> HttpResponse:
    """Every open alert across my patients, oldest first."""
    return render(request, "tracker/clinician/alerts.html", queue_context(request.user))


def queue_context(user, *, refused_ack: AcknowledgeForm | None = None) -> dict:
    alerts = list(
        alerts_shown()
        .filter(acknowledged_at__isnull=True, patient__in=patients_visible_to(user))
        .order_by("opened_at", "pk")
    )
    return {"alerts": alerts, "refused_ack": refused_ack}


def _refused_page(
    request: HttpRequest, alert: Alert, form: AcknowledgeForm, in_queue: bool
) -> HttpResponse:
    """Without htmx, a refused note comes back on the page it was written on, with the text
    kept and the message at the note."""
    if in_queue:
        return render(
            request, "tracker/clinician/alerts.html", queue_context(request.user, refused_ack=form)
        )
    return render(
        request, "tracker/clinician/record.html", record_context(alert.patient, refused_ack=form)
    )


@require_POST
@clinician_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for(request.user, pk)
    in_queue = request.POST.get("show_patient") == "1"
    # Without htmx, back to where the physiotherapist was working: the queue or the record.
    back = redirect("alert_queue") if in_queue else redirect("patient_record", alert.patient_id)
    form = AcknowledgeForm(request.POST, alert=alert)
    if form.is_valid():
        note = form.cleaned_data["note"].strip()
        if form.gave_up_calling:
            done = bool(
                record_attempt(
                    alert=alert, by=request.user, note=note or "Tried to call, no answer."
                )
            )
            said = "Call attempt noted. The alert stays open."
        else:
            done = acknowledge_alert(alert=alert, by=request.user, note=note)
            said = "Alert acknowledged."
        if done:
            audit.record(
                actor=request.user, patient=alert.patient, action=AuditAction.CHANGE, what="alert"
            )
        else:
            said = ALREADY_CLOSED
        if not swaps_region(request):
            (messages.success if done else messages.info)(request, said)
            return back
        context = {"alert": alert_with_contact(alert.pk), "focus": True, "announce": said}
    elif not swaps_region(request):
        # The whole page again, with what was typed and the message at the note.
        return _refused_page(request, alert, form, in_queue)
    else:
        context = {
            "alert": alert_with_contact(alert.pk),
            "refused_ack": form,
            "announce": form.errors["note"][0],
        }
    context["show_patient"] = in_queue
    if in_queue:  # the queue's heading counts what is still open
        still_open = Alert.objects.open().filter(patient__in=patients_visible_to(request.user))
        context["open_count"] = f"{still_open.count()} open"
    # In place: focus stays where the physiotherapist was working, and a screen reader hears
    # what changed.
    return render(request, "tracker/includes/alert_item.html", context)
