"""Acknowledging an alert: who, when, and a note, kept in the patient's history."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tracker.access import alert_for, clinician_required, patients_visible_to
from tracker.domain.alerts import acknowledge_alert, record_attempt
from tracker.forms import AcknowledgeForm
from tracker.models import Alert
from tracker.queries.alerts import alert_with_contact, open_counts, open_queue
from tracker.views.clinician.records import record_context
from tracker.views.htmx import refused, render_region, saved, swaps_region

# The same form sent again (Back, then the button again), or someone else closed it first.
ALREADY_CLOSED = "This alert was already acknowledged."
ALERT = "tracker/includes/alert_item.html"
PAGE_SIZE = 25


@require_GET
@clinician_required
def queue(request: HttpRequest) -> HttpResponse:
    """The open alerts across my patients, most urgent first, a page at a time."""
    return render_region(
        request,
        "tracker/clinician/alerts.html",
        "alerts",
        queue_context(request.user, page_number=request.GET.get("page")),
    )


def queue_context(
    user, *, page_number: int | str | None = None, refused_ack: AcknowledgeForm | None = None
) -> dict:
    patients = patients_visible_to(user)
    counts = open_counts(patients)
    paginator = Paginator(open_queue(patients), PAGE_SIZE)
    paginator.count = counts.total  # counted already, with the kinds, in one query
    page = paginator.get_page(page_number)
    return {
        "alerts": list(page.object_list),
        "page": page,
        "counts": counts,
        "queue_page": page.number,
        "pager_url": reverse("alert_queue"),  # a refused form shows the queue at its own address
        "refused_ack": refused_ack,
    }


@require_POST
@clinician_required
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = alert_for(request.user, pk)
    in_queue = request.POST.get("show_patient") == "1"
    queue_page = _page_sent(request)
    form = AcknowledgeForm(request.POST, alert=alert)
    if not form.is_valid():
        # Without htmx, the whole page it was written on again (the queue or the record),
        # with what was typed and the message at the note.
        return refused(
            request,
            form,
            announce=next(iter(form.errors.values()))[0],  # the note's, as a rule
            region=ALERT,
            context=(
                _alert_region(request, alert, in_queue, queue_page, refused_ack=form)
                if swaps_region(request)
                else {}
            ),
            page="tracker/clinician/alerts.html" if in_queue else "tracker/clinician/record.html",
            page_context=lambda: (
                queue_context(request.user, page_number=queue_page, refused_ack=form)
                if in_queue
                else record_context(alert.patient, refused_ack=form)
            ),
        )
    note = form.cleaned_data["note"].strip()
    if form.gave_up_calling:
        done = bool(
            record_attempt(alert=alert, by=request.user, note=note or "Tried to call, no answer.")
        )
        said = "Call attempt noted. The alert stays open."
    else:
        done = acknowledge_alert(alert=alert, by=request.user, note=note)
        said = "Alert acknowledged."
    # Without htmx, back to where the physiotherapist was working: the queue or the record.
    # In place, focus stays where they were working, and a screen reader hears what changed.
    return saved(
        request,
        message=said if done else ALREADY_CLOSED,
        level=messages.SUCCESS if done else messages.INFO,
        redirect_to=(
            _queue_url(queue_page)
            if in_queue
            else reverse("patient_record", args=[alert.patient_id])
        ),
        region=ALERT,
        context=lambda: _alert_region(request, alert, in_queue, queue_page, focus=True),
    )


def _page_sent(request: HttpRequest) -> int:
    """The queue's page the form was sent from (1 when none or nonsense)."""
    page = request.POST.get("page", "")
    return int(page) if page.isdigit() and int(page) > 0 else 1


def _queue_url(page: int) -> str:
    return reverse("alert_queue") + (f"?page={page}" if page > 1 else "")


def _alert_region(
    request: HttpRequest, alert: Alert, in_queue: bool, queue_page: int, **shown
) -> dict:
    """The one alert, swapped in where it was."""
    context = {
        "alert": alert_with_contact(alert.pk),
        "show_patient": in_queue,
        "queue_page": queue_page,
        **shown,
    }
    if in_queue:  # the queue's heading counts what is still open
        counts = open_counts(patients_visible_to(request.user))
        context["open_count"] = f"{counts.total} open"
        context["open_kinds"] = counts.summary
    else:  # and so does the record's, for this patient
        context["record_open_count"] = open_counts(
            patients_visible_to(request.user).filter(pk=alert.patient_id)
        ).total
    return context
