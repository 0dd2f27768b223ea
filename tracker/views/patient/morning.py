"""The answer to Today's next-morning question: how the pain is the morning after a session."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from tracker.access import own_session_for, patient_required
from tracker.domain.morning_check import (
    MorningAnswer,
    MorningCheckRefused,
    answer_next_morning,
    refusal,
)
from tracker.forms.morning import MorningPainForm
from tracker.rules.safety import session_noun
from tracker.views.htmx import render_region, swaps_region
from tracker.views.patient.home import today_page

TODAY = "tracker/patient/home.html"


def thanks(answer: MorningAnswer) -> str:
    session = answer.session
    text = f"Thank you. Pain this morning: {session.pain_next_morning}/10."
    if answer.alert is not None and session.pain_next_morning > session.pain_before:
        text += (
            " It has not settled back to where it was before the session "
            f"({session.pain_before}/10), so your care team will look at it, and your targets "
            "will not go up until they have. Follow your care team's advice; if you are "
            "worried, contact them."
        )
    return text


def _refused(request: HttpRequest, problem: str) -> HttpResponse:
    if swaps_region(request):
        return render_region(
            request,
            TODAY,
            "morning",
            {"morning_check": None, "morning_refused": problem},
        )
    messages.error(request, problem)
    return redirect("patient_home")


@require_POST
@patient_required
def next_morning(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session_for(request.user, pk, include_deleted=True)
    today = timezone.localdate()
    if problem := refusal(session, request.user, today):
        return _refused(request, problem)
    form = MorningPainForm(request.POST)
    if not form.is_valid():
        session.noun = session_noun(session.activity.name)
        asked = {"morning_check": session, "morning_form": form}
        if swaps_region(request):
            return render_region(request, TODAY, "morning", asked)
        return today_page(request, **asked)
    try:
        answer = answer_next_morning(
            by=request.user,
            session=session,
            pain=form.cleaned_data["pain"],
            today=today,
            request=request,
        )
    except MorningCheckRefused as refused:  # deleted in another tab meanwhile
        return _refused(request, str(refused))
    said = thanks(answer)
    if swaps_region(request):
        done = {"morning_check": None, "morning_done": said}
        return render_region(request, TODAY, "morning", done)
    messages.success(request, said)
    return redirect("patient_home")
