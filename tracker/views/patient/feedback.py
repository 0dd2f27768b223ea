"""The patient marks their physiotherapist's feedback as read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tracker.access import comment_for, patient_required
from tracker.domain.feedback import mark_read
from tracker.queries.feedback import unread_feedback
from tracker.views.htmx import render_region, swaps_region


@require_POST
@patient_required
def comment_read(request: HttpRequest, pk: int) -> HttpResponse:
    comment = comment_for(request.user, pk)
    done = mark_read(comment=comment)
    if not swaps_region(request):
        if done:
            messages.success(request, "Marked as read.")
        return redirect("patient_home")
    return render_region(
        request,
        "tracker/patient/home.html",
        "feedback",
        {"feedback": unread_feedback(request.user), "just_read": True},
    )
