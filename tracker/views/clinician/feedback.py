"""A physiotherapist's comment on a patient's session or week, from the patient's record."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from tracker.access import clinician_required, patient_for
from tracker.domain import audit
from tracker.domain.feedback import add_comment
from tracker.forms import CommentForm
from tracker.models import AuditAction, SessionLog, User
from tracker.queries.feedback import attach_feedback
from tracker.views.clinician.records import record_context
from tracker.views.htmx import focus_first_error, swaps_region

ALREADY_SENT = "This comment was already sent."


def _session_of(patient: User, pk: str | None) -> SessionLog:
    """One of this patient's sessions, the one the form sits beside; 404 for any other id."""
    try:
        return (
            SessionLog.objects.current()
            .select_related("plan")
            .get(pk=int(pk or ""), patient_id=patient.pk)
        )
    except (SessionLog.DoesNotExist, ValueError, TypeError):
        raise Http404("No such session.") from None


@require_POST
@clinician_required
def comment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = patient_for(request.user, patient_id)
    session = _session_of(patient, request.POST.get("session"))
    form = CommentForm(request.POST, session=session)
    if form.is_valid():
        comment, created = add_comment(
            patient=patient,
            author=request.user,
            text=form.cleaned_data["text"],
            request_key=form.cleaned_data["request_key"],
            **form.target(),
        )
        if created:
            audit.record(
                actor=request.user, patient=patient, action=AuditAction.CHANGE, what="new comment"
            )
        if not swaps_region(request):
            if created:
                messages.success(request, f"Comment sent to {patient.display_name}.")
            else:
                messages.info(request, ALREADY_SENT)
            url = reverse("patient_record", kwargs={"patient_id": patient.pk})
            return redirect(f"{url}#comments-{session.pk}")
        form = CommentForm(session=session)  # empty, with a new key, for the next comment
        sent = f"Comment sent to {patient.display_name}." if created else ALREADY_SENT
        reply = {"just_sent": comment.pk, "announce": sent}
    else:
        focus_first_error(form)  # whole record or the comments alone: the cursor goes there
        if not swaps_region(request):
            response = render(
                request, "tracker/clinician/record.html", record_context(patient, comment_form=form)
            )
            patch_vary_headers(response, ["HX-Request"])
            return response
        reply = {"announce": "The comment was not sent: see the message at the field."}
    attach_feedback(patient, [session])
    response = render(
        request,
        "tracker/includes/session_comments.html",
        {"session": session, "form": form, "patient": patient, **reply},
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
