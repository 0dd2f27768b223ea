"""Writing and changing a patient's plan: create, prescribe, activate, pause, complete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import clinician_required, patient_for, plan_for
from tracker.domain import audit
from tracker.domain.once import save_once
from tracker.domain.plans import (
    PlanRefused,
    change_status,
    create_plan,
    hold_progression,
    remove_prescription,
    resume_progression,
)
from tracker.forms import PlanCreateForm, PlanStatusForm, PrescriptionForm
from tracker.forms.plans import HoldForm
from tracker.models import AuditAction, Plan, PlanStatus
from tracker.rules.plans import ALLOWED_MOVES, Limits, is_supervised, is_suspended
from tracker.views.htmx import focus_first_error, render_region

EDITABLE = {PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED}
STATUS_ACTIONS = {
    PlanStatus.ACTIVE: "Activate",
    PlanStatus.PAUSED: "Pause",
    PlanStatus.COMPLETED: "Complete",
}
# Pausing and completing ask for a reason the patient reads, on a page of their own.
CONFIRMED = {PlanStatus.PAUSED: "plan_pause", PlanStatus.COMPLETED: "plan_complete"}
RECENT_CHANGES = 5


@require_http_methods(["GET", "POST"])
@clinician_required
def plan_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    form = PlanCreateForm(request.POST if request.method == "POST" else None, patient=patient)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        left_out: list[str] = []

        def create() -> Plan:
            plan, notes = create_plan(
                patient=patient,
                clearance=data["clearance"],
                title=data["title"],
                starts_on=data["starts_on"],
                created_by=request.user,
                template=data["template"],
                notes=data["notes"],
                request_key=data["request_key"],
            )
            left_out.extend(notes)
            return plan

        plan, created = save_once(Plan, data["request_key"], create)
        if created:
            audit.record(
                actor=request.user, patient=patient, action=AuditAction.CHANGE, what="new plan"
            )
            messages.success(request, "Draft plan created. Check the activities, then activate it.")
            for note in left_out:
                messages.warning(request, note)
        else:
            messages.info(request, "This plan was already created. Here it is.")
        return redirect("plan_edit", pk=plan.pk)
    return render(
        request,
        "tracker/clinician/plan_new.html",
        {
            "patient": patient,
            "form": form,
            "has_clearance": form.fields["clearance"].queryset.exists(),
        },
    )


def _editor_context(
    plan: Plan,
    *,
    form: PrescriptionForm | None = None,
    problems=(),
    changing: PrescriptionForm | None = None,
) -> dict:
    today = timezone.localdate()
    limits = Limits.of(plan.clearance)
    resuming = plan.status == PlanStatus.PAUSED
    prescriptions = list(plan.prescriptions.select_related("activity"))
    for p in prescriptions:
        p.change_form = (
            changing
            if changing is not None and changing.instance.pk == p.pk
            else PrescriptionForm(instance=p, plan=plan, prefix=f"p{p.pk}")
        )
    return {
        "plan": plan,
        "patient": plan.patient,
        "limits": limits,
        "clearance": plan.clearance,
        "prescriptions": prescriptions,
        "held": plan.holds.filter(ends_on__isnull=True).first(),
        "form": form if form is not None else PrescriptionForm(plan=plan),
        "editable": plan.status in EDITABLE,
        "actions": [
            (to, "Resume" if resuming and to == PlanStatus.ACTIVE else label)
            for to, label in STATUS_ACTIONS.items()
            if to in ALLOWED_MOVES[plan.status]
        ],
        "suspended": is_suspended(plan, limits, today),
        "supervised": is_supervised(getattr(plan.patient, "profile", None)),
        "problems": problems,
        "changes": list(plan.changes.select_related("made_by")[:RECENT_CHANGES]),
    }


def _plan_for_editing(request: HttpRequest, pk: int) -> Plan:
    """The plan, if this clinician may open it; every opening and change is audited."""
    plan = plan_for(request.user, pk)
    action = AuditAction.READ if request.method == "GET" else AuditAction.CHANGE
    audit.record(actor=request.user, patient=plan.patient, action=action, what="plan")
    # Re-read with the clearance's activities in one go, for the rules.
    return (
        Plan.objects.select_related("patient__profile", "clearance", "status_changed_by")
        .prefetch_related("clearance__activities")
        .get(pk=plan.pk)
    )


@require_http_methods(["GET"])
@clinician_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_editing(request, pk)
    return render(request, "tracker/clinician/plan_edit.html", _editor_context(plan))


@require_POST
@clinician_required
def prescription_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_editing(request, pk)
    if plan.status not in EDITABLE:
        messages.error(request, "A completed plan cannot be changed.")
        return redirect("plan_edit", pk=plan.pk)
    form = PrescriptionForm(request.POST, plan=plan)
    if form.is_valid():
        added = form.save()
        if not request.htmx:
            return redirect("plan_edit", pk=plan.pk)
        reply = {"just_changed": added.pk, "announce": f"{added.activity.name} added."}
        form = None  # a fresh, empty form for the next activity
    elif not request.htmx:
        return render(request, "tracker/clinician/plan_edit.html", _editor_context(plan, form=form))
    else:
        focus_first_error(form)
        reply = {"announce": "The activity was not added: see the messages in the form."}
    context = _editor_context(plan, form=form) | reply
    return render_region(request, "tracker/clinician/plan_edit.html", "prescriptions", context)


@require_POST
@clinician_required
def prescription_remove(request: HttpRequest, pk: int, prescription_id: int) -> HttpResponse:
    plan = _plan_for_editing(request, pk)
    refused: list[str] = []
    if plan.status in EDITABLE:
        try:
            # Removing twice (a double tap) finds nothing the second time, and that is fine.
            remove_prescription(plan=plan, prescription_id=prescription_id)
        except PlanRefused as refusal:
            refused = refusal.problems
    if not request.htmx:
        for problem in refused:
            messages.error(request, problem)
        return redirect("plan_edit", pk=plan.pk)
    announce = " ".join(refused) if refused else "Activity removed."
    context = _editor_context(plan) | {
        "focus_heading": True,
        "announce": announce,
        "remove_refused": refused,
    }
    return render_region(request, "tracker/clinician/plan_edit.html", "prescriptions", context)


@require_POST
@clinician_required
def prescription_change(request: HttpRequest, pk: int, prescription_id: int) -> HttpResponse:
    """Change one prescription in place, under the same clearance rules as adding one."""
    plan = _plan_for_editing(request, pk)
    prescription = plan.prescriptions.filter(pk=prescription_id).first()
    if prescription is None or plan.status not in EDITABLE:
        return redirect("plan_edit", pk=plan.pk)
    form = PrescriptionForm(
        request.POST, instance=prescription, plan=plan, prefix=f"p{prescription.pk}"
    )
    if form.is_valid():
        form.save()
        if not request.htmx:
            messages.success(request, f"{prescription.activity.name} changed.")
            return redirect("plan_edit", pk=plan.pk)
        name = prescription.activity.name
        context = _editor_context(plan) | {
            "just_changed": prescription.pk,
            "announce": f"{name} changed.",
        }
    else:
        context = _editor_context(plan, changing=form)
        if not request.htmx:
            return render(request, "tracker/clinician/plan_edit.html", context)
        focus_first_error(form)
        context["announce"] = "Not changed: see the messages in the form."
    return render_region(request, "tracker/clinician/plan_edit.html", "prescriptions", context)


@require_POST
@clinician_required
def plan_progression(request: HttpRequest, pk: int) -> HttpResponse:
    """Hold the plan's progression by hand, or let it grow again."""
    plan = _plan_for_editing(request, pk)
    today = timezone.localdate()
    if request.POST.get("action") == "hold":
        form = HoldForm(request.POST)
        if not form.is_valid():  # too long: back with the text kept and the message at it
            context = _editor_context(plan) | {"hold_form": form}
            return render(request, "tracker/clinician/plan_edit.html", context)
        reason = form.cleaned_data["reason"]
        hold_progression(plan=plan, by=request.user, today=today, reason=reason)
        messages.success(request, "Progression held: targets stay as they are until you resume.")
    elif request.POST.get("action") == "resume":
        resume_progression(plan=plan, today=today)
        messages.success(request, "Progression resumed from next week.")
    return redirect("plan_edit", pk=plan.pk)


@require_POST
@clinician_required
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Activate or resume in one tap; pausing and completing go to their confirm page."""
    plan = _plan_for_editing(request, pk)
    to = request.POST.get("to", "")
    if to not in STATUS_ACTIONS:
        messages.error(request, "Choose activate, pause or complete.")
        return redirect("plan_edit", pk=plan.pk)
    if plan.status == to:
        return redirect("plan_edit", pk=plan.pk)  # a repeated click: already done
    if to in CONFIRMED:
        return redirect(CONFIRMED[to], pk=plan.pk)
    resuming = plan.status == PlanStatus.PAUSED
    try:
        change_status(plan=plan, to=to, today=timezone.localdate(), by=request.user)
    except PlanRefused as refusal:
        return render(
            request,
            "tracker/clinician/plan_edit.html",
            _editor_context(plan, problems=refusal.problems),
            status=200,
        )
    messages.success(request, "Plan resumed." if resuming else "Plan active.")
    return redirect("plan_edit", pk=plan.pk)


def _already(plan: Plan) -> str:
    """What someone else did to the plan meanwhile, in one sentence."""
    who = plan.status_changed_by.display_name if plan.status_changed_by else "Someone"
    when = (
        f" on {timezone.localtime(plan.status_changed_at):%-d %B at %H:%M}"
        if (plan.status_changed_at)
        else ""
    )
    done = plan.get_status_display().lower()
    return f"This plan is already {done}: {who} {done} it{when}. Nothing more was changed."


@require_http_methods(["GET", "POST"])
@clinician_required
def plan_confirm_status(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """“Pause <title>?” or “Complete <title>?” with the reason the patient will read."""
    plan = _plan_for_editing(request, pk)
    if plan.status == to:
        plan = Plan.objects.select_related("status_changed_by").get(pk=plan.pk)
        messages.info(request, _already(plan))
        return redirect("plan_edit", pk=plan.pk)
    if to not in ALLOWED_MOVES[plan.status]:
        messages.error(
            request, f"A {plan.get_status_display().lower()} plan cannot be {to} from here."
        )
        return redirect("plan_edit", pk=plan.pk)
    form = PlanStatusForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change_status(
                plan=plan,
                to=to,
                today=timezone.localdate(),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PlanRefused as refusal:
            current = Plan.objects.select_related("status_changed_by").get(pk=plan.pk)
            if current.status == to:  # someone else, or a second tap, got there first
                messages.info(request, _already(current))
            else:
                for problem in refusal.problems:
                    messages.error(request, problem)
            return redirect("plan_edit", pk=plan.pk)
        messages.success(request, f"Plan {PlanStatus(to).label.lower()}. The patient sees why.")
        return redirect("plan_edit", pk=plan.pk)
    return render(
        request,
        "tracker/clinician/plan_confirm.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "to": to,
            "verb": "Pause" if to == PlanStatus.PAUSED else "Complete",
            "form": form,
        },
    )
