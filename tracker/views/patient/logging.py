"""Logging a session, and reporting danger signs. The danger path comes first in every
request: signs ticked are recorded and escalated before the rest of the form is judged."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tracker import audit
from tracker.access import patient_required
from tracker.forms import DangerReportForm, SessionLogForm, care_team_names, danger_signs_in
from tracker.logbook import log_session, report_danger
from tracker.models import AuditAction
from tracker.plans import (
    Limits,
    current_plan,
    is_supervised,
    load_week_holds,
    this_weeks_target,
    week_of_plan,
)
from tracker.views.patient.home import _profile


def _request_key(post) -> uuid.UUID:
    """The form's key for saving once; a new one if it is missing or garbled, so the danger
    report and the session are saved under one key either way."""
    try:
        return uuid.UUID(post.get("request_key", "").strip())
    except ValueError:
        return uuid.uuid4()


def _text(post, name: str, limit: int = 2000) -> str:
    """Free text read straight from the request (the danger path cannot wait for the form):
    without NUL characters, which no database text column takes, and within its length."""
    return post.get(name, "").replace("\x00", "")[:limit]


def _initial(plan, today) -> dict:
    """Today, the plan's first activity, and this week's minutes for it: most sessions need
    only the effort, pain and danger answers."""
    first = next(iter(plan.prescriptions.all()), None)
    initial = {"date": today}
    if first is not None:
        supervised = is_supervised(getattr(plan.patient, "profile", None))
        week = week_of_plan(plan, today)
        holds = load_week_holds(plan, today=today, supervised=supervised)
        target = this_weeks_target(
            first,
            limits=Limits.of(plan.clearance),
            week=week,
            supervised=supervised,
            holds=holds,
        )
        initial.update(activity=first.activity_id, minutes=target.minutes)
    return initial


@require_http_methods(["GET", "POST"])
@patient_required
def log_session_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    profile = _profile(request.user)
    plan = current_plan(request.user)
    if plan is None or plan.status != "active":
        return render(
            request,
            "tracker/patient/log.html",
            {"plan": plan, "form": None, "care_team": care_team_names(request.user)},
        )

    signs = danger_signs_in(request.POST) if request.method == "POST" else []
    key = _request_key(request.POST)
    report = None
    if signs:
        report = report_danger(patient=request.user, signs=signs, request_key=key)

    if request.method == "POST":
        form = SessionLogForm(request.POST, plan=plan, today=today)
        if form.is_valid():
            result = log_session(
                patient=request.user,
                plan=plan,
                entry=form.entry(),
                danger_signs=signs,
                request_key=key,
            )
            if result.created:
                audit.record(
                    request, patient=request.user, action=AuditAction.CHANGE, what="new session"
                )
            if report is not None:
                return render(
                    request,
                    "tracker/patient/urgent.html",
                    {"report": report, "session": result.session, "profile": profile},
                )
            if result.created:
                messages.success(request, "Session saved. Well done.")
            return redirect("patient_home")
    else:
        form = SessionLogForm(initial=_initial(plan, today), plan=plan, today=today)

    form.check_as_you_go(reverse("log_validate"))
    return render(
        request,
        "tracker/patient/log.html",
        {
            "plan": plan,
            "form": form,
            "report": report,
            "profile": profile,
            "care_team": care_team_names(request.user),
        },
    )


@require_POST
@patient_required
def validate_field(request: HttpRequest) -> HttpResponse:
    """One field's errors, as the patient moves on from it (htmx)."""
    plan = current_plan(request.user)
    name = request.headers.get("HX-Trigger-Name", "")
    if plan is None:
        return HttpResponse("")
    form = SessionLogForm(request.POST, plan=plan, today=timezone.localdate())
    if name not in form.fields or name in {"danger_signs", "no_danger_signs", "request_key"}:
        return HttpResponse("")
    form.is_valid()
    return render(request, "tracker/includes/field_errors.html", {"errors": form.errors.get(name)})


@require_http_methods(["GET", "POST"])
@patient_required
def report_danger_view(request: HttpRequest) -> HttpResponse:
    """Danger signs without a session."""
    form = DangerReportForm(request.POST if request.method == "POST" else None)
    signs = danger_signs_in(request.POST) if request.method == "POST" else []
    if signs:
        # Escalate whatever else is wrong with the form.
        report = report_danger(
            patient=request.user,
            signs=signs,
            notes=_text(request.POST, "notes"),
            request_key=_request_key(request.POST),
        )
        return render(
            request,
            "tracker/patient/urgent.html",
            {"report": report, "session": None, "profile": _profile(request.user)},
        )
    if request.method == "POST":
        form.is_valid()  # shows "tick at least one sign"
    return render(request, "tracker/patient/report_danger.html", {"form": form})
