"""A patient's record as the care team sees it, and recording a physician's clearance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tracker.access import clearance_for, clinician_required, disclosed, patient_for
from tracker.domain.clearances import record_clearance
from tracker.forms import AcknowledgeForm, ClearanceForm, CommentForm
from tracker.models import (
    Alert,
    AuditAction,
    Clearance,
    Plan,
    Prescription,
    SessionLog,
    SessionRevision,
    User,
)
from tracker.queries.alerts import alerts_shown
from tracker.queries.feedback import attach_feedback
from tracker.queries.week import current_of, this_week
from tracker.rules.clearances import standing
from tracker.rules.plans import Limits, is_suspended
from tracker.views.htmx import render_region

RECENT_SESSIONS = 20
RECENT_ALERTS = 10


def record_context(
    patient: User,
    *,
    comment_form: CommentForm | None = None,
    refused_ack: AcknowledgeForm | None = None,
) -> dict:
    """Everything the record page shows. `comment_form` is a refused comment, shown at its
    session with what was typed."""
    today = timezone.localdate()
    clearances = list(
        Clearance.objects.filter(patient=patient)
        .select_related("recorded_by", "superseded_by")
        .prefetch_related("activities")
    )
    plans = list(
        Plan.objects.filter(patient=patient)
        .select_related("status_changed_by")
        .prefetch_related(
            Prefetch("prescriptions", Prescription.objects.select_related("activity")),
            "changes",
        )
    )
    # A plan's clearance is one of the patient's, read just above with its activities.
    clearance_by_pk = {clearance.pk: clearance for clearance in clearances}
    for plan in plans:
        if plan.clearance_id in clearance_by_pk:
            plan.clearance = clearance_by_pk[plan.clearance_id]
        plan.suspended = is_suspended(plan, Limits.of(plan.clearance), today)
        plan.last_change = next(iter(plan.changes.all()), None)
    for clearance in clearances:
        stands = standing(
            cleared_on=clearance.cleared_on,
            valid_until=clearance.valid_until,
            superseded_on=clearance.superseded_on,
            today=today,
        )
        clearance.superseded, clearance.current = stands.superseded, stands.current
        clearance.days_left, clearance.expiring = stands.days_left, stands.expiring
    # The one in force first, then the rest newest first: a superseded clearance can run
    # longer than the one that replaced it, so "valid until" alone puts it on top.
    clearances.sort(key=lambda c: (c.cleared_on, c.pk), reverse=True)
    clearances.sort(key=lambda c: not c.current)
    # The open alerts and the latest acknowledged ones in one query (and one for each of
    # their e-mails and calls), newest first.
    latest_closed = Alert.objects.filter(patient=patient, acknowledged_at__isnull=False)
    alerts = list(
        alerts_shown()
        .filter(patient=patient)
        .filter(
            Q(acknowledged_at__isnull=True)
            | Q(pk__in=latest_closed.order_by("-opened_at", "-pk").values("pk")[:RECENT_ALERTS])
        )
        .order_by("-opened_at", "-pk")
    )
    # Lists, not managers: a prefetch into a manager builds a queryset for every session.
    sessions = list(
        SessionLog.objects.current()
        .filter(patient=patient)
        .select_related("activity")
        .prefetch_related(
            Prefetch("alerts", Alert.objects.order_by("pk"), to_attr="alert_list"),
            Prefetch(
                "revisions",
                SessionRevision.objects.select_related("changed_by"),
                to_attr="revision_list",
            ),
        )[:RECENT_SESSIONS]
    )
    plan_by_pk = {plan.pk: plan for plan in plans}  # every plan of the patient's, read above
    for session in sessions:
        if session.plan_id in plan_by_pk:
            session.plan = plan_by_pk[session.plan_id]
    new_replies = attach_feedback(patient, sessions)
    for session in sessions:
        refused = comment_form is not None and comment_form.session.pk == session.pk
        session.comment_form = comment_form if refused else CommentForm(session=session)
    return {
        "patient": patient,
        "profile": getattr(patient, "profile", None),
        "clearances": clearances,
        "plans": plans,
        "this_week": this_week(patient, plan=current, today=today)
        if (current := current_of(plans))
        else None,
        "today": today,
        "open_alerts": [alert for alert in reversed(alerts) if alert.is_open],
        "closed_alerts": [alert for alert in alerts if not alert.is_open],
        "sessions": sessions,
        "new_replies": new_replies,
        "refused_ack": refused_ack,
    }


@require_GET
@clinician_required
def record(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id, reading="record")
    return render_region(
        request, "tracker/clinician/record.html", "alerts", record_context(patient)
    )


@require_http_methods(["GET", "POST"])
@clinician_required
def clearance_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    if request.method == "POST":
        form = ClearanceForm(request.POST, request.FILES)
    else:
        form = ClearanceForm()
    if request.method == "POST" and form.is_valid():
        clearance, changes, created = record_clearance(
            patient=patient,
            by=request.user,
            letter_content_type=form.letter_content_type,
            **form.cleaned_data,
        )
        if created:
            messages.success(request, f"Clearance by {clearance.physician_name} recorded.")
            for change in changes:
                messages.info(request, f"“{change.plan.title}”: {change.summary}")
        else:
            messages.info(request, "This clearance was already recorded.")
        return redirect("patient_record", patient_id=patient.pk)
    current = Clearance.objects.filter(patient=patient).current_on(timezone.localdate()).first()
    return render(
        request,
        "tracker/clinician/clearance_form.html",
        {"patient": patient, "form": form, "current": current},
    )


@require_GET
@login_required
def clearance_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter itself, only to those who may see the patient (the patient included)."""
    clearance = clearance_for(request.user, pk)
    if not clearance.letter:
        raise Http404("This clearance has no letter.")
    disclosed(request.user, clearance.patient, what="clearance letter", action=AuditAction.DOWNLOAD)
    response = FileResponse(
        clearance.letter.open("rb"),
        content_type=clearance.letter_content_type or "application/octet-stream",
        as_attachment=False,
        filename=f"clearance-{clearance.pk}{clearance.letter.name[-4:]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
