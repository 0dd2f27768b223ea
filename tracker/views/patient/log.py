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
from django.views.decorators.vary import vary_on_headers

from tracker.access import patient_required
from tracker.domain.logbook import LogResult, log_session, report_danger
from tracker.forms import DangerReportForm, SessionLogForm, care_team_names
from tracker.models import DangerReport, PlanStatus
from tracker.queries.people import profile_of
from tracker.queries.week import current_plan, this_week
from tracker.rules.plans import in_force
from tracker.rules.safety import over_clearance_note, told_team_note
from tracker.views.danger import just_filed, sent_signs, signed_out_keeps_signs


def suggested_minutes(plan, today) -> dict[int, int]:
    """This week's minutes for each activity the plan prescribes, in the plan's order."""
    if not in_force(plan.prescriptions.all(), today):
        return {}
    return this_week(plan.patient, plan=plan, today=today).plan_week.minutes_by_activity


def _initial(suggested: dict[int, int], today, wanted: str | None = None) -> dict:
    """Today, the plan's first activity (or the one the address names, so that without
    JavaScript a chosen activity still brings its minutes), and this week's minutes for it:
    most sessions need only the effort, pain and danger answers."""
    initial = {"date": today}
    chosen = next((pk for pk in suggested if str(pk) == wanted), next(iter(suggested), None))
    if chosen is not None:
        initial.update(activity=chosen, minutes=suggested[chosen])
    return initial


def offline_result(request: HttpRequest, response: HttpResponse, result: str) -> HttpResponse:
    """What became of the entry this request sent, for the offline queue (queue.js): saved,
    already (saved before under this same key) or refused (not saved: the page says why).
    The queue sending a kept entry (`Offline-Queue: replay`) cannot read a redirect's headers,
    so it gets the answer itself, and no message is left for a page the patient never saw."""
    if request.headers.get("Offline-Queue") == "replay" and response.status_code == 302:
        list(messages.get_messages(request))  # read, so not kept for the next page
        response = HttpResponse(status=200)
    response["Offline-Result"] = result
    return response


def urgent(
    request: HttpRequest,
    report,
    session=None,
    *,
    from_log_form: bool = False,
    already_sent: bool = False,
) -> HttpResponse:
    """The urgent screen: call now, what was recorded, and (when the session could not be
    saved) a calm way back to it later, not a list of mistakes."""
    response = render(
        request,
        "tracker/patient/urgent.html",
        {
            "report": report,
            "session": session,
            "from_log_form": from_log_form,
            "already_sent": already_sent,
            "profile": profile_of(request.user),
        },
    )
    if request.method != "POST":
        return response
    if from_log_form and session is None:
        response["Offline-Session"] = "not-saved"  # the report is filed, the session is not
    return offline_result(request, response, "already" if already_sent else "saved")


def _already_sent(key: uuid.UUID) -> bool:
    """This form's report was filed before (Back, then Save again): it is not filed twice."""
    return DangerReport.objects.filter(request_key=key).exists()


def _save(request: HttpRequest, plan, form: SessionLogForm, *, key, signs=()) -> LogResult:
    """Save the session the form holds, once per key."""
    return log_session(
        patient=request.user, plan=plan, entry=form.entry(), danger_signs=signs, request_key=key
    )


def _danger_first(request: HttpRequest, plan, sent: dict, today) -> HttpResponse:
    """Danger signs came with the form: the report is filed before anything else is looked
    at. The session is saved too if it can be; whatever stops it (the plan paused or
    completed meanwhile, the clearance lapsed, a field left empty) waits for later."""
    key = uuid.UUID(sent["request_key"])
    already_sent = _already_sent(key)
    report = report_danger(
        patient=request.user, signs=sent["signs"], notes=sent["notes"], request_key=key
    )
    session = None
    if plan is not None and plan.status == PlanStatus.ACTIVE:
        form = SessionLogForm(request.POST, plan=plan, today=today)
        if form.is_valid():
            session = _save(request, plan, form, key=key, signs=sent["signs"]).session
    return urgent(request, report, session, from_log_form=True, already_sent=already_sent)


@require_http_methods(["GET", "POST"])
@signed_out_keeps_signs
@patient_required
@vary_on_headers("HX-Request")  # its form's errors take the focus only on a whole page
def log_session_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plan = current_plan(request.user)
    if sent := sent_signs(request):
        return _danger_first(request, plan, sent, today)
    if plan is None or plan.status != PlanStatus.ACTIVE:
        response = render(
            request,
            "tracker/patient/log.html",
            {"plan": plan, "form": None, "care_team": care_team_names(request.user)},
        )
        return (
            offline_result(request, response, "refused") if request.method == "POST" else response
        )

    if request.method == "POST":
        form = SessionLogForm(request.POST, plan=plan, today=today)
        if form.is_valid():
            result = _save(request, plan, form, key=form.cleaned_data["request_key"])
            if not result.created:
                # The same form sent again (Back, then Save): show the one already saved.
                messages.info(request, "This session was already saved. Here it is.")
                return offline_result(
                    request,
                    redirect(f"{reverse('history')}#session-{result.session.pk}"),
                    "already",
                )
            if note := over_clearance_note(result.beyond_clearance):
                # Saved as it happened, but not praised: the limit, and that the team knows.
                messages.warning(request, f"Saved. {note}")
            elif note := told_team_note(result.alerted):
                messages.info(request, note)  # pain or a new symptom: not "well done"
            else:
                messages.success(request, "Session saved. Well done.")
            return offline_result(request, redirect("patient_home"), "saved")
    else:
        suggested = suggested_minutes(plan, today)
        form = SessionLogForm(
            initial=_initial(suggested, today, request.GET.get("activity")),
            plan=plan,
            today=today,
        )

    form.suggest_minutes(suggested if request.method == "GET" else suggested_minutes(plan, today))
    form.check_as_you_go(reverse("log_validate"))
    response = render(
        request,
        "tracker/patient/log.html",
        {"plan": plan, "form": form, "care_team": care_team_names(request.user)},
    )
    return offline_result(request, response, "refused") if request.method == "POST" else response


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
@signed_out_keeps_signs
@patient_required
def report_danger_view(request: HttpRequest) -> HttpResponse:
    """Danger signs without a session."""
    if request.method == "GET" and (filed := just_filed(request)):
        return urgent(request, filed)  # sent while signed out, filed at sign-in
    if sent := sent_signs(request):
        # Escalate whatever else is wrong with the form.
        key = uuid.UUID(sent["request_key"])
        already_sent = _already_sent(key)
        report = report_danger(
            patient=request.user, signs=sent["signs"], notes=sent["notes"], request_key=key
        )
        return urgent(request, report, already_sent=already_sent)
    form = DangerReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form.is_valid()  # shows "tick at least one sign"
    response = render(request, "tracker/patient/report_danger.html", {"form": form})
    return offline_result(request, response, "refused") if request.method == "POST" else response
