"""Writing and changing a patient's plan: create, prescribe, activate, pause, complete.

The writes and their audit rows are tracker/domain/plans.py's; whether an answer is the
`prescriptions` region or the whole page is tracker/views/htmx.py's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tracker.access import clinician_required, disclosed, patient_for, plan_for
from tracker.domain.plans import (
    AUDIT_WHAT,
    PlanRefused,
    add_prescription,
    change_prescription,
    change_status,
    create_plan,
    hold_progression,
    remove_prescription,
    resume_progression,
)
from tracker.forms import PlanCreateForm, PlanStatusForm, PrescriptionForm
from tracker.forms.plans import STATUS_ACTIONS, HoldForm, PlanMoveForm, ProgressionForm
from tracker.models import Plan, PlanStatus
from tracker.rules.plans import ALLOWED_MOVES, Limits, is_supervised, is_suspended
from tracker.views.htmx import refused, render_region, saved

EDITOR = "tracker/clinician/plan_edit.html"
PRESCRIPTIONS = f"{EDITOR}#prescriptions"
EDITABLE = {PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED}
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
        new = create_plan(
            patient=patient,
            clearance=data["clearance"],
            title=data["title"],
            starts_on=data["starts_on"],
            created_by=request.user,
            template=data["template"],
            notes=data["notes"],
            request_key=data["request_key"],
        )
        if new.created:
            messages.success(request, "Draft plan created. Check the activities, then activate it.")
            for note in new.left_out:
                messages.warning(request, note)
        else:
            messages.info(request, "This plan was already created. Here it is.")
        return redirect("plan_edit", pk=new.plan.pk)
    return render(
        request,
        "tracker/clinician/plan_new.html",
        {
            "patient": patient,
            "form": form,
            "has_clearance": form.fields["clearance"].queryset.exists(),
        },
    )


def editor_context(
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
    """The plan, if this clinician may open it. Showing it (a GET) is a read of the patient's
    record; a POST's change is recorded by the domain, and only if something changed."""
    plan = plan_for(request.user, pk)
    if request.method == "GET":
        disclosed(request.user, plan.patient, what=AUDIT_WHAT)
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
    return render_region(request, EDITOR, "prescriptions", editor_context(plan))


@require_POST
@clinician_required
def prescription_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_editing(request, pk)
    if plan.status not in EDITABLE:
        messages.error(request, "A completed plan cannot be changed.")
        return redirect("plan_edit", pk=plan.pk)
    form = PrescriptionForm(request.POST, plan=plan)
    if not form.is_valid():
        context = editor_context(plan, form=form)
        return refused(
            request,
            form,
            announce="The activity was not added: see the messages in the form.",
            region=PRESCRIPTIONS,
            context=context,
            page=EDITOR,
            page_context=lambda: context,
        )
    added = add_prescription(prescription=form.save(commit=False), by=request.user)
    return saved(
        request,
        message=f"{added.activity.name} added.",
        redirect_to=reverse("plan_edit", args=[plan.pk]),
        region=PRESCRIPTIONS,
        # A fresh, empty form for the next activity.
        context=lambda: editor_context(plan) | {"just_changed": added.pk},
    )


@require_POST
@clinician_required
def prescription_remove(request: HttpRequest, pk: int, prescription_id: int) -> HttpResponse:
    plan = _plan_for_editing(request, pk)
    problems: list[str] = []
    if plan.status in EDITABLE:
        try:
            # Removing twice (a double tap) finds nothing the second time, and that is fine.
            remove_prescription(plan=plan, prescription_id=prescription_id, by=request.user)
        except PlanRefused as refusal:
            problems = refusal.problems
    return saved(
        request,
        message=" ".join(problems) if problems else "Activity removed.",
        level=messages.ERROR if problems else messages.SUCCESS,
        redirect_to=reverse("plan_edit", args=[plan.pk]),
        region=PRESCRIPTIONS,
        context=lambda: editor_context(plan) | {"focus_heading": True, "remove_refused": problems},
    )


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
    if not form.is_valid():
        context = editor_context(plan, changing=form)
        return refused(
            request,
            form,
            announce="Not changed: see the messages in the form.",
            region=PRESCRIPTIONS,
            context=context,
            page=EDITOR,
            page_context=lambda: context,
        )
    changed = change_prescription(prescription=form.save(commit=False), by=request.user)
    return saved(
        request,
        message=f"{changed.activity.name} changed.",
        redirect_to=reverse("plan_edit", args=[plan.pk]),
        region=PRESCRIPTIONS,
        context=lambda: editor_context(plan) | {"just_changed": changed.pk},
    )


@require_POST
@clinician_required
def plan_progression(request: HttpRequest, pk: int) -> HttpResponse:
    """Hold the plan's progression by hand, or let it grow again."""
    plan = _plan_for_editing(request, pk)
    today = timezone.localdate()
    choice = ProgressionForm(request.POST)
    if not choice.is_valid():  # neither button: nothing to do
        return redirect("plan_edit", pk=plan.pk)
    if choice.cleaned_data["action"] == "hold":
        if plan.holds.filter(ends_on__isnull=True).exists():  # a tab from before someone held it
            messages.info(request, "Progression was already held; nothing changed.")
            return redirect("plan_edit", pk=plan.pk)
        form = HoldForm(request.POST)
        if not form.is_valid():  # too long: back with the text kept and the message at it
            context = editor_context(plan) | {"hold_form": form}
            return render(request, EDITOR, context)
        reason = form.cleaned_data["reason"]
        hold_progression(plan=plan, by=request.user, today=today, reason=reason)
        messages.success(request, "Progression held: targets stay as they are until you resume.")
    else:
        resume_progression(plan=plan, by=request.user, today=today)
        messages.success(request, "Progression resumed from next week.")
    return redirect("plan_edit", pk=plan.pk)


@require_POST
@clinician_required
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Activate or resume in one tap; pausing and completing go to their confirm page."""
    plan = _plan_for_editing(request, pk)
    form = PlanMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose activate, pause or complete.")
        return redirect("plan_edit", pk=plan.pk)
    to = form.cleaned_data["to"]
    if plan.status == to:
        return redirect("plan_edit", pk=plan.pk)  # a repeated click: already done
    if to in CONFIRMED:
        return redirect(CONFIRMED[to], pk=plan.pk)
    resuming = plan.status == PlanStatus.PAUSED
    try:
        change_status(plan=plan, to=to, today=timezone.localdate(), by=request.user)
    except PlanRefused as refusal:
        return render(request, EDITOR, editor_context(plan, problems=refusal.problems))
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
