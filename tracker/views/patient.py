"""Pages for patients: their own record only."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.access import patient_required
from tracker.models import PatientProfile, Plan, PlanStatus, Prescription
from tracker.plans import (
    Limits,
    is_supervised,
    is_suspended,
    load_week_holds,
    this_weeks_target,
    week_of_plan,
)


def current_plan(patient) -> Plan | None:
    """The plan a patient is following: the active one, else a paused one. Drafts are the
    care team's work in progress and stay hidden."""
    return (
        Plan.objects.filter(patient=patient, status__in=[PlanStatus.ACTIVE, PlanStatus.PAUSED])
        .select_related("clearance", "created_by")
        .prefetch_related(
            "clearance__activities",
            Prefetch("prescriptions", Prescription.objects.select_related("activity")),
        )
        .order_by("status", "-starts_on")  # "active" sorts before "paused"
        .first()
    )


def plan_summary(patient, profile: PatientProfile | None) -> dict:
    """This week's prescription with the reasons behind each number."""
    plan = current_plan(patient)
    if plan is None:
        return {"plan": None}
    today = timezone.localdate()
    limits = Limits.of(plan.clearance)
    week = week_of_plan(plan, today)
    supervised = is_supervised(profile)
    holds = load_week_holds(plan, today=today, supervised=supervised)
    return {
        "plan": plan,
        "limits": limits,
        "clearance": plan.clearance,
        "week": week,
        "supervised": supervised,
        "suspended": is_suspended(plan, limits, today),
        "not_started": plan.starts_on > today,
        "targets": [
            (p, this_weeks_target(p, limits=limits, week=week, supervised=supervised, holds=holds))
            for p in plan.prescriptions.all()
        ],
    }


def _profile(user) -> PatientProfile | None:
    return PatientProfile.objects.filter(user=user).prefetch_related("care_team").first()


@require_GET
@patient_required
def home(request: HttpRequest) -> HttpResponse:
    profile = _profile(request.user)
    return render(
        request,
        "tracker/patient/home.html",
        {"profile": profile, **plan_summary(request.user, profile)},
    )


@require_GET
@patient_required
def my_plan(request: HttpRequest) -> HttpResponse:
    profile = _profile(request.user)
    return render(
        request,
        "tracker/patient/plan.html",
        {"profile": profile, **plan_summary(request.user, profile)},
    )
