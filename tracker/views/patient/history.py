"""A patient's own sessions: the history, and changing or deleting a recent one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tracker.access import own_session_for, patient_required
from tracker.domain.logbook import clearance_breaches, delete_session, edit_session
from tracker.forms import SessionLogForm
from tracker.models import Activity, DistanceUnit, SessionLog
from tracker.models.sessions import METRES_PER_MILE
from tracker.queries.feedback import attach_feedback
from tracker.queries.history import with_flags
from tracker.rules.editing import WINDOW_CLOSED, can_change
from tracker.rules.safety import over_clearance_note

PAGE_SIZE = 20


class HistoryFilter(forms.Form):
    activity = forms.ModelChoiceField(
        queryset=Activity.objects.all(), required=False, empty_label="All activities"
    )
    month = forms.ChoiceField(required=False, choices=[("", "All months")])

    def __init__(self, *args, months: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = months

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data["month"]
        return dt.datetime.strptime(value, "%Y-%m").date() if value else None


def typed_distance(session: SessionLog) -> dict:
    """The distance as the patient typed it, for the edit form: 2.5 km, 800 m or 1.5 miles."""
    if session.distance_m is None:
        return {"distance": None, "distance_unit": "km"}
    if session.distance_unit == DistanceUnit.METRES:
        return {"distance": session.distance_m, "distance_unit": "m"}
    if session.distance_unit == DistanceUnit.MILES:
        return {"distance": round(session.distance_m / METRES_PER_MILE, 2), "distance_unit": "mi"}
    return {"distance": round(session.distance_m / 1000, 2), "distance_unit": "km"}


def month_choices(patient) -> list[tuple[str, str]]:
    """'All months', then each month with a session, newest first, in words."""
    months = (
        SessionLog.objects.current().filter(patient=patient).dates("date", "month", order="DESC")
    )
    return [("", "All months")] + [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]


@require_GET
@patient_required
def history(request: HttpRequest) -> HttpResponse:
    filters = HistoryFilter(request.GET or None, months=month_choices(request.user))
    sessions = with_flags(
        SessionLog.objects.current().filter(patient=request.user).select_related("activity", "plan")
    )
    if filters.is_valid():
        if activity := filters.cleaned_data["activity"]:
            sessions = sessions.filter(activity=activity)
        if month := filters.cleaned_data["month"]:
            sessions = sessions.filter(date__year=month.year, date__month=month.month)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    said_why = False
    for session in page:
        session.changeable = can_change(session, now)
        # Where Change and Delete first go missing, say why, once.
        session.window_note = not session.changeable and not said_why
        said_why = said_why or session.window_note
    # Each session's comments and their threads, read or not: where the patient replies later.
    attach_feedback(request.user, page.object_list)
    return render(
        request,
        "tracker/patient/history.html",
        {"page": page, "filters": filters},
    )


def _changeable_session(request: HttpRequest, pk: int) -> SessionLog | None:
    session = own_session_for(request.user, pk)
    if not can_change(session, timezone.now()):
        messages.error(request, WINDOW_CLOSED)
        return None
    return session


@require_http_methods(["GET", "POST"])
@patient_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _changeable_session(request, pk)
    if session is None:
        return redirect("history")
    today = timezone.localdate()
    initial = {
        "activity": session.activity_id,
        "date": session.date,
        "start_time": session.start_time,
        "minutes": session.minutes,
        **typed_distance(session),
        "average_heart_rate": session.average_heart_rate,
        "highest_heart_rate": session.highest_heart_rate,
        "effort": session.effort,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "symptoms": session.symptoms,
        "notes": session.notes,
    }
    form = SessionLogForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        plan=session.plan,
        today=today,
        editing=session,
    )
    if request.method == "POST" and form.is_valid():
        session = edit_session(session=session, by=request.user, entry=form.entry())
        if note := over_clearance_note(clearance_breaches(session)):
            messages.warning(request, f"Session updated. {note}")
        else:
            messages.success(request, "Session updated. Your care team can see what changed.")
        return redirect("history")
    return render(request, "tracker/patient/session_edit.html", {"form": form, "session": session})


@require_http_methods(["GET", "POST"])
@patient_required
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if own_session_for(request.user, pk, include_deleted=True).deleted_at is not None:
        return redirect("history")  # already deleted: a double tap, or the back button
    session = _changeable_session(request, pk)
    if session is None:
        return redirect("history")
    if request.method == "POST":
        delete_session(session=session, by=request.user)
        messages.success(request, "Session deleted. Your care team can still see that it was.")
        return redirect("history")
    return render(request, "tracker/patient/session_delete.html", {"session": session})
