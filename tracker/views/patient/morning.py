"""The answer to Today's next-morning question: how the pain is the morning after a session."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tracker.access import own_session_for, patient_required
from tracker.domain.morning_check import (
    MorningAnswer,
    MorningCheckRefused,
    answer_next_morning,
    refusal,
)
from tracker.forms.morning import PAIN_MESSAGE, MorningPainForm
from tracker.rules.safety import session_noun
from tracker.views.htmx import refused, saved
from tracker.views.patient.home import TODAY, today_context

MORNING = f"{TODAY}#morning"


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


def _not_kept(request: HttpRequest, problem: str) -> HttpResponse:
    """Nothing to save for this session (someone else's, deleted, not yesterday's): said the
    way a save is, in the question's place or as a message on Today."""
    return saved(
        request,
        message=problem,
        redirect_to="patient_home",
        region=MORNING,
        context={"morning_check": None, "morning_refused": problem},
        level=messages.ERROR,
    )


@require_POST
@patient_required
def next_morning(request: HttpRequest, pk: int) -> HttpResponse:
    session = own_session_for(request.user, pk, include_deleted=True)
    today = timezone.localdate()
    if problem := refusal(session, request.user, today):
        return _not_kept(request, problem)
    form = MorningPainForm(request.POST)
    if not form.is_valid():
        session.noun = session_noun(session.activity.name)
        asked = {"morning_check": session, "morning_form": form}
        return refused(
            request,
            form,
            announce=PAIN_MESSAGE,
            region=MORNING,
            context=asked,
            page=TODAY,
            page_context=lambda: today_context(request, **asked),
        )
    try:
        answer = answer_next_morning(
            by=request.user, session=session, pain=form.cleaned_data["pain"], today=today
        )
    except MorningCheckRefused as refusal_now:  # deleted in another tab meanwhile
        return _not_kept(request, str(refusal_now))
    said = thanks(answer)
    return saved(
        request,
        message=said,
        redirect_to="patient_home",
        region=MORNING,
        context={"morning_check": None, "morning_done": said},
    )
