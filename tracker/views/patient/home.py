"""The patient's home page and plan page: their own record only."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.access import patient_required
from tracker.feedback import unread_feedback
from tracker.models import PatientProfile, Plan, SessionLog
from tracker.morning_check import morning_question
from tracker.plan_notices import plan_notices
from tracker.plans import (
    Limits,
    current_plan,
    is_supervised,
    is_suspended,
    load_week_holds,
    this_weeks_target,
    week_of_plan,
)
from tracker.queries.alerts import recent_danger_alert


def plan_summary(patient, profile: PatientProfile | None) -> dict:
    """This week's prescription with the reasons behind each number."""
    plan = current_plan(patient)
    today = timezone.localdate()
    if plan is None:
        return {"plan": None, **plan_notices(patient, None, today=today)}
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
        **plan_notices(patient, plan, today=today),
    }


def week_progress(plan: Plan, week: int, targets) -> dict:
    """Sessions and minutes logged in this week of the plan, against its targets."""
    week_start = plan.starts_on + dt.timedelta(weeks=week)
    done = (
        SessionLog.objects.current()
        .filter(plan=plan, date__gte=week_start, date__lt=week_start + dt.timedelta(weeks=1))
        .aggregate(minutes=Coalesce(Sum("minutes"), 0), sessions=Count("pk"))
    )
    target_sessions = sum(p.sessions_per_week for p, _ in targets)
    target_minutes = sum(p.sessions_per_week * t.minutes for p, t in targets)
    return {
        "week_start": week_start,
        "week_end": week_start + dt.timedelta(days=6),
        "done_minutes": done["minutes"],
        "done_sessions": done["sessions"],
        "target_minutes": target_minutes,
        "target_sessions": target_sessions,
        "minutes_percent": min(100, round(100 * done["minutes"] / target_minutes))
        if target_minutes
        else 0,
    }


def _profile(user) -> PatientProfile | None:
    return PatientProfile.objects.filter(user=user).prefetch_related("care_team").first()


def today_page(request: HttpRequest, **extra) -> HttpResponse:
    """Today, whole; `extra` overrides parts of it (the morning question sent back with its
    error, say)."""
    profile = _profile(request.user)
    summary = plan_summary(request.user, profile)
    progress = None
    if summary["plan"] is not None and not summary["not_started"]:
        progress = week_progress(summary["plan"], summary["week"], summary["targets"])
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
    profile = _profile(request.user)
    return render(
        request,
        "tracker/patient/plan.html",
        {"profile": profile, **plan_summary(request.user, profile)},
    )
