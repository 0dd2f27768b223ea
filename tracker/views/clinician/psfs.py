"""The care team's part of the functional scale: how often the plan asks it again, set from
the plan editor. This is the care team side's URL module, included from tracker/urls.py (the
patient's side is tracker/views/patient/psfs.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from tracker.access import clinician_required, plan_for
from tracker.domain.psfs import set_interval
from tracker.forms.psfs import PsfsIntervalForm
from tracker.models import Plan, PlanStatus
from tracker.views.clinician.plans import EDITOR, editor_context

CHANGEABLE = {PlanStatus.DRAFT, PlanStatus.ACTIVE, PlanStatus.PAUSED}


@require_POST
@clinician_required
def plan_psfs_interval(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for(request.user, pk)
    if plan.status not in CHANGEABLE:
        messages.error(request, "This plan is completed: its functional scale is no longer asked.")
        return redirect("plan_edit", pk=plan.pk)
    form = PsfsIntervalForm(request.POST, instance=plan)
    if not form.is_valid():
        plan = (
            Plan.objects.select_related("patient__profile", "clearance", "status_changed_by")
            .prefetch_related("clearance__activities")
            .get(pk=plan.pk)
        )
        return render(request, EDITOR, {**editor_context(plan), "psfs_form": form})
    weeks = form.cleaned_data["psfs_every_weeks"]
    if set_interval(plan=plan, by=request.user, every_weeks=weeks):
        messages.success(request, f"The functional scale is now asked every {weeks} weeks.")
    return redirect("plan_edit", pk=plan.pk)


urlpatterns = [
    path("plans/<int:pk>/functional-scale/", plan_psfs_interval, name="plan_psfs_interval"),
]
