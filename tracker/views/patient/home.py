"""The patient's home page and plan page: their own record only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.access import patient_required
from tracker.domain.morning_check import morning_question
from tracker.models import PatientProfile
from tracker.queries.alerts import recent_danger_alert
from tracker.queries.feedback import unread_feedback
from tracker.queries.people import profile_of
from tracker.queries.plan_notices import plan_notices
from tracker.queries.week import current_plan, this_week
from tracker.rules.plans import Limits, is_supervised, is_suspended


def plan_summary(patient, profile: PatientProfile | None) -> dict:
    """This week's prescription with the reasons behind each number, and what was done."""
    plan = current_plan(patient)
    today = timezone.localdate()
    if plan is None:
        return {"plan": None, **plan_notices(patient, None, today=today)}
    limits = Limits.of(plan.clearance)
    supervised = is_supervised(profile)
    week = this_week(patient, plan=plan, today=today, supervised=supervised)
    return {
        "plan": plan,
        "limits": limits,
        "clearance": plan.clearance,
        "week": week.week,
        "this_week": week,
        "supervised": supervised,
        "suspended": is_suspended(plan, limits, today),
        "not_started": plan.starts_on > today,
        "targets": [(t.prescription, t.target) for t in week.targets],
        **plan_notices(patient, plan, today=today),
    }


def today_page(request: HttpRequest, **extra) -> HttpResponse:
    """Today, whole; `extra` overrides parts of it (the morning question sent back with its
    error, say)."""
    profile = profile_of(request.user)
    summary = plan_summary(request.user, profile)
    progress = None
    if summary["plan"] is not None and not summary["not_started"]:
        progress = summary["this_week"]
    return render(
        request,
        "tracker/patient/home.html",
        {
            "profile": profile,
            "progress": progress,
            "feedback": unread_feedback(request.user),
            "danger": recent_danger_alert(request.user),
            **morning_question(request.user, timezone.localdate()),
            **summary,
            **extra,
        },
    )


@require_GET
@patient_required
def home(request: HttpRequest) -> HttpResponse:
    return today_page(request)


@require_GET
@patient_required
def my_plan(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    return render(
        request,
        "tracker/patient/plan.html",
        {"profile": profile, **plan_summary(request.user, profile)},
    )
