"""A physiotherapist's comment on a patient's session or week, from the patient's record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from tracker.access import clinician_required, patient_for, session_of
from tracker.domain.feedback import add_comment
from tracker.forms import CommentForm
from tracker.models import SessionLog, User
from tracker.queries.feedback import attach_feedback
from tracker.views.clinician.records import record_context
from tracker.views.htmx import focus_first_error, refused, saved, swaps_region

ALREADY_SENT = "This comment was already sent."
COMMENTS = "tracker/includes/session_comments.html"


@require_POST
@clinician_required
def comment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    session = session_of(request.user, patient, request.POST.get("session"))
    form = CommentForm(request.POST, session=session)
    if not form.is_valid():
        focus_first_error(form)  # whole record or the comments alone: the cursor goes there
        return refused(
            request,
            form,
            announce="The comment was not sent: see the message at the field.",
            region=COMMENTS,
            context=_comments(patient, session, form) if swaps_region(request) else {},
            page="tracker/clinician/record.html",
            page_context=lambda: record_context(patient, comment_form=form),
        )
    comment, created = add_comment(
        patient=patient,
        author=request.user,
        text=form.cleaned_data["text"],
        request_key=form.cleaned_data["request_key"],
        **form.target(),
    )
    url = reverse("patient_record", kwargs={"patient_id": patient.pk})
    return saved(
        request,
        message=f"Comment sent to {patient.display_name}." if created else ALREADY_SENT,
        level=messages.SUCCESS if created else messages.INFO,
        redirect_to=f"{url}#comments-{session.pk}",
        region=COMMENTS,
        # In place: the comments with an empty form, with a new key, for the next one.
        context=lambda: _comments(
            patient, session, CommentForm(session=session), just_sent=comment.pk
        ),
    )


def _comments(
    patient: User, session: SessionLog, form: CommentForm, *, just_sent: int | None = None
) -> dict:
    """The comments beside one session, for the region that shows them alone."""
    attach_feedback(patient, [session])
    return {"session": session, "form": form, "patient": patient, "just_sent": just_sent}
