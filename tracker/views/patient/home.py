"""The patient's home page and plan page: their own record only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from tracker.access import patient_required
from tracker.domain.morning_check import morning_question
from tracker.models import PatientProfile
from tracker.queries.alerts import recent_danger_alert
from tracker.queries.feedback import unread_feedback
from tracker.queries.people import profile_of
from tracker.queries.plan_notices import plan_notices
from tracker.queries.week import current_plan, this_week
from tracker.rules.plans import is_supervised


def plan_summary(patient, profile: PatientProfile | None) -> dict:
    """This week's prescription with the reasons behind each number, and what was done."""
    plan = current_plan(patient)
    today = timezone.localdate()
    if plan is None:
        return {"plan": None, **plan_notices(patient, None, today=today)}
    week = this_week(patient, plan=plan, today=today, supervised=is_supervised(profile))
    now = week.plan_week
    return {
        "plan": plan,
        "limits": now.limits,
        "clearance": plan.clearance,
        "week": now.week,
        "this_week": week,
        "supervised": now.supervised,
        "suspended": now.suspended,
        "not_started": plan.starts_on > today,
        "targets": [(t.prescription, t.target) for t in now.targets],
        **plan_notices(patient, plan, today=today),
    }


TODAY = "tracker/patient/home.html"


def today_context(request: HttpRequest, **extra) -> dict:
    """Everything Today shows; `extra` overrides parts of it (the morning question sent back
    with its error, say)."""
    profile = profile_of(request.user)
    summary = plan_summary(request.user, profile)
    progress = None
    if summary["plan"] is not None and not summary["not_started"]:
        progress = summary["this_week"]
    return {
        "profile": profile,
        "progress": progress,
        "feedback": unread_feedback(request.user),
        "danger": recent_danger_alert(request.user),
        **morning_question(request.user, timezone.localdate()),
        **summary,
        **extra,
    }


@require_GET
@patient_required
@vary_on_headers("HX-Request")  # its regions are swapped in by htmx (views/htmx.py)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, TODAY, today_context(request))


@require_GET
@patient_required
def my_plan(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    return render(
        request,
        "tracker/patient/plan.html",
        {"profile": profile, **plan_summary(request.user, profile)},
    )
